"""The handover's fixed texts and the reasons a conversation can be in the queue."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bot.languages.current import current_language, localized
from bot.paths import data_file, read_yaml
from bot.safety.assessment import REASONS as SAFETY_REASONS

REASONS = {"request": "Ba om en veileder", "crisis": "Krise", "threat": "Trussel",
           "safety_check": "Spurt om krise", "not_understood": "Boten forsto ikke", "hopelessness": "Motløs"}
# The safety level a conversation reached, in the reason's words: «Krise», «Trussel», «Spurt om krise».
SAFETY_LABELS = {level: REASONS[reason] for level, reason in SAFETY_REASONS.items()}
# A more serious reason replaces a milder one on the same open entry, never the other way round.
REASON_WEIGHT = {"crisis": 4, "threat": 3, "safety_check": 2, "hopelessness": 1, "not_understood": 1, "request": 0}

TEXTS = data_file("handover", "texts.yml")


def texts() -> dict[str, Any]:
    """The handover's texts, kept in data/handover/texts.yml (and texts.en.yml), in the conversation's language."""
    return _texts(current_language())


@lru_cache(maxsize=2)
def _texts(language: str) -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(localized(TEXTS, language))
    return loaded
