"""Which language a chat message is written in, said only when a short message leaves no doubt."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot.paths import data_file, read_yaml

if TYPE_CHECKING:
    from lingua import LanguageDetector

NORWEGIAN = "nb"
ENGLISH = "en"
SPOKEN = (NORWEGIAN, ENGLISH)
# The ten languages Veivalg offers a way in for (data/languages/<code>.yml).
WAY_IN = ("pl", "lt", "ro", "ru", "uk", "ar", "so", "ti", "fa", "sq")

# Norwegian in any form, and the languages a Norwegian reader reads, are served in Norwegian.
_SCANDINAVIAN = ("BOKMAL", "NYNORSK", "SWEDISH", "DANISH")
_CODES = {
    "ENGLISH": ENGLISH, "POLISH": "pl", "LITHUANIAN": "lt", "ROMANIAN": "ro", "RUSSIAN": "ru",
    "UKRAINIAN": "uk", "ARABIC": "ar", "SOMALI": "so", "PERSIAN": "fa", "ALBANIAN": "sq",
}
# Languages in the candidate set only so that they are not taken for English, Norwegian or one of the ten
# («maître d» is French, not Romanian).
_OTHERS = ("GERMAN", "DUTCH", "FRENCH", "SPANISH", "ITALIAN", "TURKISH")

MIN_WORDS = 3  # fewer words than this never switch a conversation to English
MIN_WORDS_WAY_IN = 2  # a language with letters of its own is clear sooner
ENGLISH_SHARE = 0.55  # lingua's relative confidence for English, against every candidate
ENGLISH_OVER_NORWEGIAN = 4.0  # and this many times the Scandinavian languages together
ENGLISH_WORDS = 2  # or: this many English function words, no Norwegian one, and lingua agrees
WAY_IN_SHARE = 0.6
WAY_IN_OVER_NORWEGIAN = 3.0


_ETHIOPIC = re.compile(r"[\u1200-\u137f]")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_NORWEGIAN_LETTERS = re.compile(r"[æøå]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _function_words() -> tuple[frozenset[str], frozenset[str]]:
    """English and Norwegian words that tell the languages apart (data/languages/function_words.yml)."""
    raw = read_yaml(data_file("languages", "function_words.yml"))
    return frozenset(raw["english"].split()), frozenset(raw["norwegian"].split())


@dataclass(frozen=True)
class Detection:
    """The language a message is confidently in (a code), or None when it is too short or unclear."""

    language: str | None
    confidence: float = 0.0


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    names = [*_SCANDINAVIAN, *_CODES, *_OTHERS]
    return LanguageDetectorBuilder.from_languages(*(getattr(Language, n) for n in names)).build()


def _shares(text: str) -> dict[str, float]:
    with _lock:  # lingua loads a language's model on first use
        values = _detector().compute_language_confidence_values(text)
    return {value.language.name: value.value for value in values}


def warm_up() -> None:
    """Load every candidate language's model now, at start, rather than during someone's message."""
    _function_words()
    _shares("This is a sentence to load the models. Dette er en setning. Это предложение. هذه جملة.")


def detect(text: str) -> Detection:
    """The language of one message, when a message of this length and script leaves no doubt."""
    letters = _LETTER.findall(text)
    if not letters:
        return Detection(None)
    if _ETHIOPIC.search(text):
        return Detection("ti", 1.0)
    script_letters = len(_ARABIC_SCRIPT.findall(text)) + len(_CYRILLIC.findall(text))
    if script_letters >= max(3, len(letters) // 2):
        shares = _shares(text)
        best = max(("ar", "fa", "ru", "uk"), key=lambda code: shares.get(_name(code), 0.0))
        return Detection(best, shares.get(_name(best), 0.0))
    words = _WORD.findall(text)
    english_words, norwegian_words = _function_word_counts(words)
    if _NORWEGIAN_LETTERS.search(text) and (norwegian_words or not english_words):
        # «æ veit itj» is Norwegian; «how do i get a læreplass» is English with a Norwegian word in it.
        return Detection(NORWEGIAN, 1.0) if norwegian_words else Detection(None)
    if len(words) < MIN_WORDS_WAY_IN:
        return Detection(None)
    shares = _shares(text)
    scandinavian = sum(shares.get(name, 0.0) for name in _SCANDINAVIAN)
    english = shares.get("ENGLISH", 0.0)
    best_name = max(shares, key=lambda name: shares[name])
    if len(words) >= MIN_WORDS and not norwegian_words:
        if english >= ENGLISH_SHARE and english >= ENGLISH_OVER_NORWEGIAN * scandinavian:
            return Detection(ENGLISH, english)
        if english_words >= ENGLISH_WORDS and (
            english > scandinavian or english_words >= 3 or 3 * english_words >= 2 * len(words)
        ):
            return Detection(ENGLISH, english)
    code = _CODES.get(best_name)
    if (
        code in WAY_IN
        and (len(words) >= MIN_WORDS or (shares[best_name] >= 0.8 and len(letters) >= 10))
        and shares[best_name] >= WAY_IN_SHARE
        and shares[best_name] >= WAY_IN_OVER_NORWEGIAN * scandinavian
        and not norwegian_words
    ):
        return Detection(code, shares[best_name])
    # Back to Norwegian only on Norwegian words: an English sentence with «fagbrev» or «politiattest» in it
    # is still English.
    if norwegian_words > english_words and (scandinavian >= 0.5 or norwegian_words >= 2):
        return Detection(NORWEGIAN, scandinavian)
    return Detection(None)


def _function_word_counts(words: list[str]) -> tuple[int, int]:
    """How many of the words are English and how many Norwegian function words."""
    folded = [word.casefold() for word in words]
    english_vocabulary, norwegian_vocabulary = _function_words()
    return sum(word in english_vocabulary for word in folded), sum(word in norwegian_vocabulary for word in folded)


def language_of_reply(text: str) -> str:
    """English or Norwegian for one of Veivalg's own replies, by function words alone: no model to load."""
    english_words, norwegian_words = _function_word_counts(_WORD.findall(text))
    return ENGLISH if english_words >= 2 and english_words > 2 * norwegian_words else NORWEGIAN


def _name(code: str) -> str:
    return next(name for name, value in _CODES.items() if value == code)
