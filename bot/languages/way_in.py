"""The way in for speakers of ten more languages: who Veivalg is, where to turn at once, and their crisis words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.languages.detection import WAY_IN
from bot.paths import data_file, read_yaml
from bot.text.folding import fold


@dataclass(frozen=True)
class WayIn:
    """One language's texts (data/languages/<code>.yml): drafts until a native speaker has reviewed them."""

    code: str
    name: str
    name_nb: str
    name_en: str
    direction: str
    welcome: str
    crisis: str
    english: str
    norsk: str
    counsellor: str
    crisis_words: tuple[str, ...]


def _key(text: str) -> str:
    """Both sides of a crisis-word match: Persian letters as typed on an Arabic keyboard, no vowel marks, folded."""
    text = text.replace("ي", "ی").replace("ك", "ک")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn" or ch.isascii())
    return fold(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1)
def way_ins() -> dict[str, WayIn]:
    """Every language's way in, by code; a missing or broken file fails loudly."""
    found: dict[str, WayIn] = {}
    for code in WAY_IN:
        raw = read_yaml(data_file("languages", f"{code}.yml"))
        buttons = raw["buttons"]
        found[code] = WayIn(
            code=raw["code"], name=raw["name"], name_nb=raw["name_nb"], name_en=raw["name_en"],
            direction=raw.get("direction", "ltr"), welcome=" ".join(raw["welcome"].split()),
            crisis=" ".join(raw["crisis"].split()), english=buttons["english"], norsk=buttons["norsk"],
            counsellor=buttons["counsellor"], crisis_words=tuple(raw["crisis_words"]),
        )
        if found[code].code != code:
            raise ValueError(f"data/languages/{code}.yml says code {raw['code']!r}")
    return found


@lru_cache(maxsize=1)
def _crisis_pattern() -> re.Pattern[str]:
    words = {_key(word) for way_in in way_ins().values() for word in way_in.crisis_words}
    alternatives = "|".join(sorted((re.escape(word) for word in words if word), key=len, reverse=True))
    return re.compile(rf"(?<!\w)({alternatives})(?!\w)")


def crisis_word_in(text: str) -> str | None:
    """A crisis word of one of the ten languages in the message, as folded, or None."""
    match = _crisis_pattern().search(_key(text))
    return match.group(0) if match else None
