"""The patterns catch every crisis phrasing written for this project and leave ordinary sentences alone."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.paths import TESTS_DIR
from bot.safety.assessment import assess
from bot.safety.classifier import POSSIBLE_THRESHOLD, crisis_intent_messages, signal_probability
from bot.safety.patterns import matching_level, pattern_set

PHRASES: dict[str, Any] = yaml.safe_load((TESTS_DIR / "data" / "crisis_phrases.yml").read_text(encoding="utf-8"))
# The classifier must clear its threshold by this much either way, so that a different CPU
# cannot tip a sentence over it; sentences inside the margin belong to the safety gate's figures.
MARGIN = 0.05


def test_every_pattern_compiles_and_every_level_has_patterns():
    patterns = pattern_set()
    assert all(len(patterns.by_level[level]) >= 20 for level in ("crisis", "threat", "possible"))
    assert len(patterns.ordinary) >= 40


@pytest.mark.parametrize("text", PHRASES["crisis"])
def test_every_crisis_phrasing_gets_an_answer_with_a_margin(text: str):
    assert matching_level(text) is not None or signal_probability(text) >= POSSIBLE_THRESHOLD + MARGIN


@pytest.mark.parametrize("text", PHRASES["ordinary"])
def test_ordinary_sentences_with_hard_words_are_left_alone_with_a_margin(text: str):
    assert matching_level(text) is None
    assert signal_probability(text) <= POSSIBLE_THRESHOLD - MARGIN


# The kinds of false alarm and miss that users found (issue 14), each written as a new sentence.
@pytest.mark.parametrize("text", [
    "kan vi hoppe over det spørsmålet", "selv mor til tre barn kan ta fagbrev", "jeg skadet ryggen på jobben i fjor",
    "jeg vil kutte ned på røyken", "nå skal jeg ta livet mitt tilbake", "jeg vil gjøre slutt på det gamle livet",
    "jeg kjeder meg i hjel her inne", "vil jobbe med folk som skal dø, på et hospice",
    "finnes det jobber med å forebygge selvmord", "jeg ler meg ihjel av den serien",
])
def test_the_false_alarms_users_found_are_gone(text: str):
    assert matching_level(text) is None


@pytest.mark.parametrize(("text", "level"), [
    ("jeg kommer til å skade noen her inne", "threat"),
    ("det er ikke noe poeng i å leve", "crisis"),
    ("skar meg i armen i går", "crisis"),
    ("har spart opp pillene til i kveld", "crisis"),
    ("eg vil ikkje leva meir", "crisis"),
    ("jeg skal slå han ihjel når jeg kommer ut", "threat"),
    ("I want to kill myself", "crisis"),
    ("jeg har skrevet avskjedsbrev til ungene", "crisis"),
])
def test_the_misses_users_found_are_caught_at_the_right_level(text: str, level: str):
    assert matching_level(text) == level


@pytest.mark.parametrize("text", crisis_intent_messages() + crisis_intent_messages(TESTS_DIR / "nlu"))
def test_every_crisis_example_of_the_intent_model_gets_an_answer_from_the_net(text: str):
    assert matching_level(text) is not None or signal_probability(text) >= POSSIBLE_THRESHOLD + MARGIN


@pytest.mark.parametrize("text", ["/express_crisis", "/ask_help", "", "   ", None])
def test_button_payloads_and_empty_messages_are_not_assessed(text):
    assert assess(text).level is None
