"""Recognizers for numbers that identify a person: fødselsnummer/D-nummer and phone numbers."""

from __future__ import annotations

import re

import phonenumbers
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from stdnum.no import fodselsnummer

from bot.privacy.redaction.kinds import FODSELSNUMMER, PHONE

# 11 digits, as 6+5 or 2+2+2+3+2 groups with optional spaces, dots or a dash between the date and the rest.
_FNR = re.compile(r"(?<![\d.,])(\d{2})([ .]?)(\d{2})\2(\d{2})[ .:-]?(\d{3}) ?(\d{2})(?![\d]|[.,]\d)")

# A Norwegian number: 8 digits starting 2-9, written 91234567, 912 34 567, 91 23 45 67 or 9123 4567,
# optionally after +47, 0047 or (+47). One kind of separator throughout.
_NO_PHONE = re.compile(
    r"(?<![\d+])"
    r"(?:(?:\(\s?(?:\+|00)\s?47\s?\)|(?:\+|00)\s?47)[\s.-]?)?"
    r"(?:"
    r"[2-9]\d{7}"
    r"|[2-9]\d{2}(?P<a>[ .-]?)\d{2}(?P=a)\d{3}"
    r"|[2-9]\d(?P<b>[ .-]?)\d{2}(?P=b)\d{2}(?P=b)\d{2}"
    r"|[2-9]\d{3} \d{4}"
    r")"
    r"(?![\d]|[.,]\d)"
)
# After a word that says «this is a phone number», any eight digits count, valid or not: a typo or a
# number from abroad is still somebody's number («ring meg på 18 99 03 32», «tlf 1683 9956»).
_PHONE_CONTEXT = re.compile(
    r"(?i:\b(?:ring|ringe|ringer|tlf|telefon\w*|tel|nummer\w*|nr|mobil\w*|mob|sms|call|phone|number|whatsapp)\b)"
    r"[^\d\n]{0,25}?"
    r"(?P<number>(?:(?:\+|00)\s?47\s?)?"
    r"(?:\d{8}|\d{2}(?P<c>[ .-]?)\d{2}(?P=c)\d{2}(?P=c)\d{2}|\d{3}[ .-]?\d{2}[ .-]?\d{3}|\d{4} \d{4}))"
    r"(?![\d]|[.,]\d)"
)
_DATE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$")
_TIME_RANGE = re.compile(r"^\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}$")
_AMOUNT_AFTER = re.compile(r"[ \t]*(?:kr\b|kroner|kronar|nok\b|,-|%|prosent|dollar|euro|€|\$)", re.IGNORECASE)
_AMOUNT_BEFORE = re.compile(r"(?:\bkr\.?|\bnok|\$|€)[ \t]*$", re.IGNORECASE)
_MIN_DIGITS_FOR_LIBRARY = 7
# Public help lines the bot itself gives (domain.yml, crisis answers): never somebody's private number.
PUBLIC_NUMBERS = frozenset({"22400040", "116123", "116111", "113", "112", "110"})


def is_fodselsnummer(digits: str) -> bool:
    """True when 11 digits are a valid fødselsnummer or D-nummer (date and both check digits)."""
    return fodselsnummer.is_valid(digits)


def _looks_like_birth_date(digits: str) -> bool:
    """A date part a mistyped fødselsnummer could have (D-nummer: day + 40, H-nummer: month + 40)."""
    day, month = int(digits[0:2]), int(digits[2:4])
    day = day - 40 if day > 40 else day
    month = month - 40 if month > 40 else month
    return 1 <= day <= 31 and 1 <= month <= 12


class FodselsnummerRecognizer(EntityRecognizer):
    """Fødselsnummer and D-nummer, validated with python-stdnum; with or without a space after the date."""

    def __init__(self, supported_language: str = "nb") -> None:
        super().__init__(supported_entities=[FODSELSNUMMER], supported_language=supported_language)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Every 11-digit number with a valid checksum; a plain 6+5 number with a birth date counts too."""
        results = []
        for match in _FNR.finditer(text):
            digits = re.sub(r"\D", "", match.group(0))
            if is_fodselsnummer(digits):
                score = 1.0
            elif _looks_like_birth_date(digits) and re.fullmatch(r"\d{6}[ .-]?\d{5}", match.group(0)):
                score = 0.6  # likely a mistyped number: still a person's number
            else:
                continue
            results.append(RecognizerResult(FODSELSNUMMER, match.start(), match.end(), score))
        return results


class PhoneRecognizer(EntityRecognizer):
    """Phone numbers: Norwegian formats by pattern, and any number libphonenumber finds (also +foreign)."""

    def __init__(self, supported_language: str = "nb", region: str = "NO") -> None:
        self.region = region
        super().__init__(supported_entities=[PHONE], supported_language=supported_language)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Norwegian 8-digit numbers in the usual groupings, and valid numbers of any country."""
        # The Norwegian groupings are never those of an amount («25 000 000»), so all of them count.
        results = [RecognizerResult(PHONE, m.start(), m.end(), 0.9) for m in _NO_PHONE.finditer(text)]
        results += [RecognizerResult(PHONE, m.start("number"), m.end("number"), 0.85)
                    for m in _PHONE_CONTEXT.finditer(text)]
        if sum(ch.isdigit() for ch in text) >= _MIN_DIGITS_FOR_LIBRARY:
            for found in phonenumbers.PhoneNumberMatcher(text, self.region, leniency=phonenumbers.Leniency.VALID):
                raw = found.raw_string.strip()
                if _DATE.match(raw) or _TIME_RANGE.match(raw):
                    continue
                if not raw.startswith(("+", "00")) and _is_amount(text, found.start, found.end):
                    continue
                results.append(RecognizerResult(PHONE, found.start, found.end, 0.95))
        return [r for r in results if "".join(ch for ch in text[r.start:r.end] if ch.isdigit()) not in PUBLIC_NUMBERS]


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(_AMOUNT_AFTER.match(text, end) or _AMOUNT_BEFORE.search(text[max(0, start - 6) : start]))
