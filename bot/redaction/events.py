"""Redaction of one serialized Rasa event (`event.as_dict()`) before it is stored."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Redact = Callable[[str], str]


def redact_event_data(data: dict[str, Any], redact: Redact | None = None) -> dict[str, Any]:
    """A redacted deep copy of a user, bot or slot event; other events are copied unchanged."""
    if redact is None:
        from bot.redaction.redactor import redact_text

        redact = redact_text
    result = copy.deepcopy(data)
    kind = result.get("event")
    if kind == "user":
        _redact_user(result, redact)
    elif kind == "bot":
        _redact_bot(result, redact)
    elif kind == "slot":
        result["value"] = redact_values(result.get("value"), redact)
    return result


def redact_values(value: Any, redact: Redact) -> Any:
    """Every string inside lists and dict values redacted; keys, numbers and booleans stay."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_values(v, redact) for v in value]
    if isinstance(value, tuple):
        return tuple(redact_values(v, redact) for v in value)
    if isinstance(value, dict):
        return {k: redact_values(v, redact) for k, v in value.items()}
    return value


def _redact_user(event: dict[str, Any], redact: Redact) -> None:
    if isinstance(event.get("text"), str):
        event["text"] = redact(event["text"])
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = redact(parse_data["text"])
        for entity in parse_data.get("entities") or []:
            if isinstance(entity, dict):
                for field in ("value", "text"):
                    if field in entity:
                        entity[field] = redact_values(entity[field], redact)
    if isinstance(event.get("metadata"), dict):
        event["metadata"] = redact_values(event["metadata"], redact)


def _redact_bot(event: dict[str, Any], redact: Redact) -> None:
    if isinstance(event.get("text"), str):
        event["text"] = redact(event["text"])
    data = event.get("data")
    if not isinstance(data, dict):
        return
    for key in ("buttons", "quick_replies"):
        for button in data.get(key) or []:
            if not isinstance(button, dict):
                continue
            if isinstance(button.get("title"), str):
                button["title"] = redact(button["title"])
            payload = button.get("payload")
            if isinstance(payload, str) and not payload.startswith("/"):
                button["payload"] = redact(payload)
    if "custom" in data:
        data["custom"] = redact_values(data["custom"], redact)
