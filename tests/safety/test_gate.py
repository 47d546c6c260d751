"""The safety gate (issue 14): every crisis and threat in a held-out set gets an answer, at most 5 % false alarms.

The second to the seventh sets were each measured once blind and then became the classifier's training
data (`data/safety/examples/`); the sets here are never trained on. Each was measured once blind (the
figures are in its header and in docs/safety.md) and then tuned the patterns, so passing here says the net
has not got worse, not how it meets a new writer: that is what the blind runs are for.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.paths import TESTS_DIR
from bot.safety.classifier import load_examples, training_examples
from bot.safety.report import Measurement, measure


@dataclass(frozen=True)
class Floor:
    file: str
    min_recall: float
    max_false_alarms: float
    max_clear_false_alarms: int  # ordinary messages that get the full crisis or threat answer


FLOORS = {
    # The first set; the patterns were tuned while looking at it. Now 237 of 237, 9 of 221 (all «possible»).
    "first": Floor("heldout.yml", 1.0, 0.05, 0),
    # blind 99.0 % / 9.0 % (6.5 % with the full answer), after the ninth set's tuning; now 200 of 200, 5 of 200
    "eighth": Floor("heldout_eighth.yml", 1.0, 0.05, 1),
    # blind 96.5 % / 11.0 % (6.5 % with the full answer), the first run after the once-blind sets became
    # training data; now 200 of 200, 8 of 200 (all «possible»)
    "ninth": Floor("heldout_ninth.yml", 1.0, 0.05, 0),
    # blind 96.9 % / 3.3 % (0.8 % with the full answer), after the tenth set became training data; now 160 of
    # 160, 0 of 240
    "eleventh": Floor("heldout_eleventh.yml", 1.0, 0.05, 0),
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


def test_no_held_out_set_is_training_data():
    """Different writers share a few common phrasings («orker ikke mer», «i want to die»); a set that had
    been copied into the training data would share most of its messages."""
    trained = {e.text.strip().lower() for e in training_examples()}
    for floor in FLOORS.values():
        held = load_examples(TESTS_DIR / "safety" / floor.file)
        shared = [e.text for e in held if e.text.strip().lower() in trained]
        assert len(shared) <= 0.05 * len(held), (floor.file, shared)
