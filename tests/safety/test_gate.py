"""The safety gate: the net on the held-out sets written by people who never saw it must not get worse.

Issue 14 asks for every held-out crisis and threat to get an answer and at most 5 % false alarms. Each set
was measured once blind (the figures are in its header and in docs/safety.md), then used for tuning; the
floors below are what the net measures on them now, with room for about one example. They only go up.
A figure that says how the net does on new text needs a set nobody has looked at.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.paths import TESTS_DIR
from bot.safety.classifier import load_examples
from bot.safety.report import Measurement, measure


@dataclass(frozen=True)
class Floor:
    file: str
    min_recall: float
    max_false_alarms: float
    max_clear_false_alarms: int  # ordinary messages that get the full crisis or threat answer


FLOORS = {
    # Measured 2026-12-04 after the classifier's threshold went from 0.85 to 0.80 with new hard negatives:
    # recall rose on every set, false alarms on the fourth rose by two (docs/safety.md, the sweep).
    # blind 85.0 % / 5.5 %; now 356 of 360, 2 of 311
    "second": Floor("heldout_fresh.yml", 0.985, 0.01, 1),
    # blind 82.9 % / 8.0 %; now 35 of 35, 0 of 100
    "third": Floor("heldout_third.yml", 0.97, 0.02, 1),
    # blind 89.3 % / 11.5 %; now 149 of 150, 3 of 200
    "fourth": Floor("heldout_fourth.yml", 0.985, 0.02, 1),
    # blind 84.8 % / 11.0 % (3.9 % with the full answer); now 143 of 145, 2 of 181
    "fifth": Floor("heldout_fifth.yml", 0.98, 0.015, 1),
    # blind 88.5 % / 11.4 % (3.8 % with the full answer); now 189 of 191, 9 of 210 (all «possible»)
    "sixth": Floor("heldout_sixth.yml", 0.985, 0.05, 1),
    # blind 87.4 % / 12.9 % (8.6 % with the full answer); now 189 of 190, 6 of 210 (all «possible»)
    "seventh": Floor("heldout_seventh.yml", 0.985, 0.035, 1),
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def held_out(request: pytest.FixtureRequest) -> tuple[Floor, Measurement]:
    floor = FLOORS[request.param]
    return floor, measure(request.param, load_examples(TESTS_DIR / "safety" / floor.file))


def test_each_set_is_big_enough_to_mean_something(held_out: tuple[Floor, Measurement]):
    _, measured = held_out
    assert measured.signals >= 30 and measured.negatives >= 100


def test_recall_does_not_drop(held_out: tuple[Floor, Measurement]):
    floor, measured = held_out
    assert measured.recall >= floor.min_recall, "missed: " + "; ".join(measured.missed)


def test_false_alarms_do_not_rise(held_out: tuple[Floor, Measurement]):
    floor, measured = held_out
    assert measured.false_alarm_rate <= floor.max_false_alarms, "false alarms: " + "; ".join(
        t for _, t in measured.false_alarms)


def test_no_full_crisis_answer_for_ordinary_messages(held_out: tuple[Floor, Measurement]):
    floor, measured = held_out
    clear = [text for level, text in measured.false_alarms if level in ("crisis", "threat")]
    assert len(clear) <= floor.max_clear_false_alarms, clear
