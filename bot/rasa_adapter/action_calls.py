"""What Rasa's request to run an action carries, read the same way wherever the action runs."""

from __future__ import annotations

from typing import Any


def conversation_language(body: Any) -> str | None:
    """The `language` slot of the tracker an action call carries, if any."""
    if not isinstance(body, dict):
        return None
    slots = (body.get("tracker") or {}).get("slots") or {}
    language = slots.get("language") if isinstance(slots, dict) else None
    return language if isinstance(language, str) else None
