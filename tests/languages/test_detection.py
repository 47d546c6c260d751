"""Telling the language of a chat message: Norwegian never moves away, English and the ten are heard."""

from __future__ import annotations

import pytest

from bot.languages.detection import ENGLISH, NORWEGIAN, WAY_IN, detect, language_of_reply
from bot.languages.report import Measured, measure
from bot.paths import read_yaml

# Measured 2026-12-04 on tests/languages/detection.yml (written before the detector, not tuned on):
# the share served in the right language. Only goes up.
FLOORS = {NORWEGIAN: 1.0, ENGLISH: 0.78, "pl": 0.9, "lt": 0.8, "ro": 0.74, "ru": 0.8, "uk": 0.8, "ar": 0.8,
          "fa": 0.8, "so": 0.74, "ti": 0.8, "sq": 0.74}
MAX_FALSE_SWITCH_RATE = 0.005  # the goal: at most 0.5 % of Norwegian messages leave Norwegian


@pytest.fixture(scope="module")
def measured() -> Measured:
    return measure()


def test_norwegian_in_any_form_never_leaves_norwegian(measured: Measured):
    assert measured.norwegian_switched == []
    assert measured.norwegian_lines > 5000
    assert measured.false_switch_rate <= MAX_FALSE_SWITCH_RATE, measured.false_switches[:20]
    assert measured.false_switches == [], "a Norwegian line switched; if it is English, add it to not_norwegian.txt"


def test_english_lines_are_not_taken_for_norwegian(measured: Measured):
    assert measured.english_lines > 1500
    assert len(measured.english_to_norwegian) / measured.english_lines <= 0.002, measured.english_to_norwegian


@pytest.mark.parametrize("language", sorted(FLOORS))
def test_each_language_is_served_in_its_own_at_least_as_often_as_measured(measured: Measured, language: str):
    share = measured.right[language] / measured.labelled[language]
    assert share >= FLOORS[language], (language, share)


@pytest.mark.parametrize("text", ["ja", "ok", "hei", "yes", "no", "tømrer", "", "   ", "👍", "12345", "?"])
def test_short_messages_never_switch(text: str):
    assert detect(text).language is None or detect(text).language == NORWEGIAN


@pytest.mark.parametrize(("text", "language"), [
    ("I want to become a welder when I get out", ENGLISH),
    ("how can i take fagbrev in prison", ENGLISH),  # Norwegian words inside English stay English
    ("do i need politiattest to drive a taxi", ENGLISH),
    ("jeg vil bli sveiser når jeg kommer ut", NORWEGIAN),
    ("æ veit itj ka æ ska bli", NORWEGIAN),
    ("Chcę pracować jako spawacz w Norwegii", "pl"),
    ("Мне нужна работа после тюрьмы", "ru"),
    ("أريد أن أعمل بعد السجن", "ar"),
    ("ሰላም ከመይ ኣለኻ", "ti"),
])
def test_clear_messages_are_told_apart(text: str, language: str):
    assert detect(text).language == language


def test_the_ten_languages_are_the_ones_with_a_way_in():
    assert set(WAY_IN) == {"pl", "lt", "ro", "ru", "uk", "ar", "so", "ti", "fa", "sq"}


def _responses() -> list[tuple[str, str]]:
    """(language, text) for every response variant in the domain."""

    from bot.paths import PROJECT_ROOT

    found: list[tuple[str, str]] = []
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")) or [PROJECT_ROOT / "domain.yml"]:
        domain = read_yaml(path) or {}
        for variants in (domain.get("responses") or {}).values():
            for variant in variants:
                english = any(c.get("name") == "language" and c.get("value") == "en"
                              for c in variant.get("condition") or [])
                if variant.get("text"):
                    found.append(("en" if english else "nb", str(variant["text"])))
    for path in (PROJECT_ROOT / "data" / "knapper" / "texts.yml", PROJECT_ROOT / "data" / "handover" / "texts.yml"):
        for language, sibling in (("nb", path), ("en", path.with_suffix(".en.yml"))):
            found.extend((language, text) for text in _strings(read_yaml(sibling)))
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if "{" not in value else []
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def test_every_reply_of_the_bot_is_told_by_its_words_alone():
    """The widget's labels and the read-aloud voice follow the reply's language without loading a model."""
    responses = _responses()
    wrong = [(language, text) for language, text in responses
             if len(text.split()) >= 4 and any(mark in text for mark in ".?!") and language_of_reply(text) != language]
    assert len(responses) > 200 and not wrong, wrong
