"""Redaction of one serialized Rasa event (`event.as_dict()`) before it is stored."""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

Redact = Callable[[str], str]
# The bot's own texts in which redaction found nothing (its fixed answers and buttons): they are
# the same every time, so they are checked once. The user's words are never kept here.
CLEAN_BOT_TEXTS_KEPT = 4096
_clean_bot_texts: OrderedDict[str, None] = OrderedDict()


def redactor_for_one_save() -> Redact:
    """`redact_text` that checks each text once within one save (a user's text is in an event twice)."""
    from bot.privacy.redaction.redactor import redact_text

    done: dict[str, str] = {}

    def redact(text: str) -> str:
        if text not in done:
            done[text] = redact_text(text)
        return done[text]

    redact.process_redactor = True  # type: ignore[attr-defined]
    return redact


def _redact_bot_text(text: str, redact: Redact) -> str:
    """Only the process's own redactor may use (and fill) the list of clean texts, never a test's stand-in."""
    if not getattr(redact, "process_redactor", False):
        return redact(text)
    if text in _clean_bot_texts:
        _clean_bot_texts.move_to_end(text)
        return text
    redacted = redact(text)
    if redacted == text:
        _clean_bot_texts[text] = None
        while len(_clean_bot_texts) > CLEAN_BOT_TEXTS_KEPT:
            _clean_bot_texts.popitem(last=False)
    return redacted


def redact_event_data(data: dict[str, Any], redact: Redact | None = None) -> dict[str, Any]:
    """A redacted deep copy of a user, bot or slot event; other events are copied unchanged."""
    if redact is None:
        from bot.privacy.redaction.redactor import redact_text

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
        event["text"] = _redact_bot_text(event["text"], redact)
    data = event.get("data")
    if not isinstance(data, dict):
        return
    for key in ("buttons", "quick_replies"):
        for button in data.get(key) or []:
            if not isinstance(button, dict):
                continue
            if isinstance(button.get("title"), str):
                button["title"] = _redact_bot_text(button["title"], redact)
            payload = button.get("payload")
            if isinstance(payload, str) and not payload.startswith("/"):
                button["payload"] = redact(payload)
    if "custom" in data:
        data["custom"] = redact_values(data["custom"], redact)
