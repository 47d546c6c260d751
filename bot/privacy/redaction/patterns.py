"""Recognizers for e-mail addresses, street addresses and licence plates (regular expressions)."""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bot.privacy.redaction.kinds import ADDRESS, EMAIL, LICENCE_PLATE
from bot.privacy.redaction.lexicon import Lexicon

# Local part, then @ (or "(at)"/"[at]"), then a domain; no public-suffix list is needed or fetched.
# The whole run of address characters around the @ is taken, so nothing of it is left behind.
EMAIL_REGEX = r"(?<![\w.+@-])[\w.+-]*\w\s?(?:@|\(at\)|\[at\])\s?\w(?:[\w.+@-]*\w)?"
_LETTER = r"[^\W\d_]"
_UPPER = r"[A-ZÆØÅÄÖÜÉ]"


def _alternatives(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def email_recognizer(language: str = "nb") -> PatternRecognizer:
    """E-mail addresses, also written with (at) or a space around the @."""
    return PatternRecognizer(
        supported_entity=EMAIL,
        name="EmailRecognizer",
        supported_language=language,
        patterns=[Pattern("email", EMAIL_REGEX, 1.0)],
        global_regex_flags=re.IGNORECASE,
    )


class LicencePlateRecognizer(PatternRecognizer):
    """Norwegian licence plates: two letters and five digits (four on old plates): AB 12345, EL12345."""

    def __init__(self, not_plate_letters: frozenset[str], language: str = "nb") -> None:
        self.not_plate_letters = not_plate_letters
        amount = r"(?!\s*(?:kr\b|kroner|,-|%|nok\b))"
        super().__init__(
            supported_entity=LICENCE_PLATE,
            name="LicencePlateRecognizer",
            supported_language=language,
            patterns=[
                Pattern("plate_upper", rf"(?<![\w-])[A-Z]{{2}}[ -]?\d{{4,5}}(?![\w,.]\w){amount}", 0.9),
                Pattern("plate_any_case", rf"(?<![\w-])[A-Za-z]{{2}}[ -]?\d{{5}}(?![\w,.]\w){amount}", 0.8),
            ],
            global_regex_flags=0,
        )

    def invalidate_result(self, pattern_text: str) -> bool | None:
        """Not a plate when the two letters are a word or an abbreviation (kr 12000, nr 12345)."""
        return pattern_text[:2].lower() in self.not_plate_letters


class AddressRecognizer(EntityRecognizer):
    """Street addresses with a house number, and the postcode and place right after them."""

    def __init__(self, lexicon: Lexicon, language: str = "nb") -> None:
        self.pattern, self.in_context = _address_pattern(lexicon)
        super().__init__(supported_entities=[ADDRESS], supported_language=language)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every address the pattern finds."""
        found = [RecognizerResult(ADDRESS, m.start(), m.end(), 0.9) for m in self.pattern.finditer(text)]
        found += [RecognizerResult(ADDRESS, m.start("address"), m.end("address"), 0.85)
                  for m in self.in_context.finditer(text)]
        return found


def _address_pattern(lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The address on its own (a street word, a postcode after it), and one that words before it announce."""
    prefix = rf"(?:(?i:{_alternatives(lexicon.street_prefixes)})\s+)?"
    word = rf"(?:{_LETTER}+-)*{_LETTER}{{2,}}?"
    one_word = rf"{word}(?i:{_alternatives(lexicon.street_suffixes)})\.?"
    place_word = rf"{_UPPER}(?:{_LETTER}+-)*{_LETTER}+?(?:{_alternatives(lexicon.place_suffixes)})"
    two_words = (
        rf"(?:{_UPPER}{_LETTER}+\s+)?(?:{_UPPER}{_LETTER}+|{_LETTER}+s)\s+(?i:{_alternatives(lexicon.street_words)})"
    )
    street = rf"(?<!\w){prefix}(?:{two_words}|{one_word}|{place_word})(?!{_LETTER})"
    range_word = r"(?:[-–]|til|eller|à)"
    not_unit = rf"(?!\s*(?:{range_word}\s*\d+\s*)?(?i:{_alternatives(lexicon.units)})(?!{_LETTER}))"
    number = rf"\s+\d{{1,4}}(?:[A-Za-z](?!\w)|\s[A-H](?!\w))?(?![\d]|[.,]\d){not_unit}"
    flat = r"(?:\s*,?\s*[Hh]\d{4}(?!\d))?"
    not_unit_word = rf"(?!(?i:{_alternatives(lexicon.units)})(?!{_LETTER}))"
    place = rf"(?:\s*,?\s*\d{{4}}\s+{not_unit_word}{_LETTER}{{3,}}(?:[- ]{_UPPER}{_LETTER}+)?)?"
    street_address = rf"{street}{number}{flat}{place}"
    post_box = rf"(?<!\w)(?i:postboks|pb\.)\s*\d{{1,5}}(?!\d){place}"
    # Any one or two words with a house number, in any case, where the words before say «address»
    # («jeg bor i tveitkroken 6h», «flytter til Lie Ringen 45»), or where a postcode and place follow.
    any_street = rf"{_LETTER}{{3,}}(?:[- ]{_LETTER}{{3,}})?"
    context = (
        r"(?i:\b(?:bor|bur|bodde|budde|bosatt|flytter|flytta|flyttar|flyttet|live|living|moved) (?:i|på|til|at|on|to)"
        r"|\badress(?:en|a|e)?(?: min| mi)?(?: er|:)|\b(?:my )?address(?: is|:))\s+"
    )
    postcode_place = rf"\s*,?\s*\d{{4}}\s+{not_unit_word}{_LETTER}{{3,}}(?:[- ]{_UPPER}{_LETTER}+)?"
    with_postcode = rf"(?<!\w){any_street}{number}{postcode_place}"
    in_context = rf"{context}(?P<address>{prefix}{any_street}{number}{flat}{place})"
    return re.compile(rf"{street_address}|{post_box}|{with_postcode}"), re.compile(in_context)
