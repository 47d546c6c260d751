"""How serious a message is: crisis, threat, possible, or nothing, whatever the intent model thinks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.languages.way_in import crisis_word_in
from bot.safety.classifier import CRISIS_INTENT as CRISIS_INTENT  # re-exported for the adapter and reports
from bot.safety.classifier import POSSIBLE_THRESHOLD, signal_probability
from bot.safety.patterns import matching_level

CRISIS = "crisis"
THREAT = "threat"
POSSIBLE = "possible"
LEVELS = (CRISIS, THREAT, POSSIBLE)
# Below this safety-classifier probability the intent model's crisis guess alone asks nothing: it was a
# positive sentence the intent model misheard (measured on the conversation benchmark, docs/safety.md).
MODEL_GUESS_FLOOR = 0.3
# The key under which the safety net adds its assessment to a parse.
PARSE_KEY = "safety"
# What counsellors see in the queue and the transcript, by level.
REASONS = {CRISIS: "crisis", THREAT: "threat", POSSIBLE: "safety_check"}
# The most serious level a conversation reached is the one counsellors and leaders see.
SEVERITY = {POSSIBLE: 1, THREAT: 2, CRISIS: 3}


def most_serious(first: str | None, second: str | None) -> str | None:
    """The more serious of two levels (None is the least)."""
    return max((first, second), key=lambda level: SEVERITY.get(level or "", 0))


@dataclass(frozen=True)
class Assessment:
    """The level (None when there is nothing to act on) and what decided it."""

    level: str | None
    source: str = ""
    probability: float = 0.0

    @property
    def urgent(self) -> bool:
        return self.level in (CRISIS, THREAT)

    def as_dict(self) -> dict[str, object]:
        return {"level": self.level, "source": self.source, "probability": round(self.probability, 3)}


NONE = Assessment(level=None)


def assess(text: str | None, *, model_says_crisis: bool = False) -> Assessment:
    """Patterns first; then the classifier, and the intent model's own crisis guess, can only ask."""
    if not text or not text.strip() or text.startswith("/"):
        return NONE
    level = matching_level(text)
    if level is not None:
        return Assessment(level=level, source="pattern")
    if crisis_word_in(text) is not None:
        # A short, careful list per language of the ten (data/languages/): drafts, a false alarm costs a kind word.
        return Assessment(level=CRISIS, source="language_words")
    probability = signal_probability(text)
    if probability >= POSSIBLE_THRESHOLD:
        return Assessment(level=POSSIBLE, source="classifier", probability=probability)
    if model_says_crisis and probability >= MODEL_GUESS_FLOOR:
        # The intent model's crisis guess becomes a question, as long as the message carries anything
        # the safety classifier hears at all («jeg kan mer enn jeg trodde» does not: 0.04).
        return Assessment(level=POSSIBLE, source="intent_model", probability=probability)
    return Assessment(level=None, probability=probability)


def level_of_message(parse_data: Mapping[str, Any]) -> str | None:
    """The safety net's level on a parsed message; judged from its text when the net did not see it."""
    safety = parse_data.get(PARSE_KEY)
    if safety is not None:
        return safety.get("level")
    crisis = (parse_data.get("intent") or {}).get("name") == CRISIS_INTENT
    text = parse_data.get("text")
    if text:
        return assess(text, model_says_crisis=crisis).level
    return CRISIS if crisis else None
