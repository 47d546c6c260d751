"""The safety net: words of self-harm, suicide or threats, caught whatever the NLU model predicts."""

from __future__ import annotations

import re
from functools import lru_cache

import yaml

from bot.paths import data_file
from bot.text.folding import fold

PATTERNS_FILE = data_file("safety", "patterns.yml")
CRISIS_INTENT = "express_crisis"


@lru_cache(maxsize=1)
def _data() -> dict[str, list[re.Pattern[str]]]:
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    return {key: [re.compile(p) for p in data[key]] for key in ("crisis", "not_crisis", "risk_words")}


def _patterns() -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
    data = _data()
    return data["crisis"], data["not_crisis"]


def has_risk_words(text: str | None) -> bool:
    """True when the message has any word that a crisis message could have."""
    if not text:
        return False
    folded = fold(text)
    return any(p.search(folded) for p in _data()["risk_words"])


def is_crisis(text: str | None) -> bool:
    """True when the message speaks of self-harm, suicide or hurting someone."""
    if not text or text.startswith("/"):
        return False
    folded = fold(text)
    crisis, harmless = _patterns()
    if not any(p.search(folded) for p in crisis):
        return False
    # A harmless phrase only clears the message when nothing else in it is a crisis phrase.
    cleaned = folded
    for pattern in harmless:
        cleaned = pattern.sub(" ", cleaned)
    return any(p.search(cleaned) for p in crisis)
