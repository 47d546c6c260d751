"""The handover's fixed texts and the reasons a conversation can be in the queue."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import yaml

from bot.paths import data_file

REASONS = {"request": "Ba om en veileder", "crisis": "Krise: selvskading, selvmord eller trusler",
           "not_understood": "Boten forsto ikke", "hopelessness": "Motløs"}

TEXTS = data_file("handover", "texts.yml")


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The handover's texts, kept in data/handover/texts.yml."""
    loaded: dict[str, Any] = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    return loaded
