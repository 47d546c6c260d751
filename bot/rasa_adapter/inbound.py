"""Check what a client sends before the bot sees it: bad input gets a clear 4xx, never a crash."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from bot.text.cleaning import clean_text

SENDER_PATTERN = re.compile(r"^[A-Za-z0-9_.:@-]{1,128}$")
MAX_BODY_BYTES = 200_000


class InvalidMessage(ValueError):
    """The request cannot be read as a message; the text says why, for the client's developer."""


@dataclass(frozen=True)
class InboundMessage:
    """A message that passed the checks."""

    sender: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """True when nothing readable is left after cleaning."""
        return not self.text


def parse_body(raw: bytes) -> InboundMessage:
    """Read a REST body `{"sender": ..., "message": ..., "metadata": {...}}`."""
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidMessage(f"body is larger than {MAX_BODY_BYTES} bytes")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidMessage("body must be UTF-8 JSON") from exc
    if not isinstance(body, dict):
        raise InvalidMessage("body must be a JSON object")
    sender = body.get("sender")
    if isinstance(sender, int) and not isinstance(sender, bool):
        sender = str(sender)
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise InvalidMessage("'sender' must be 1-128 characters: letters, digits, _ . : @ -")
    if "message" not in body:
        raise InvalidMessage("'message' is missing")
    message = body["message"]
    if message is None:
        message = ""
    if isinstance(message, (int, float)) and not isinstance(message, bool):
        message = str(message)
    if not isinstance(message, str):
        raise InvalidMessage("'message' must be a string")
    metadata = body.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise InvalidMessage("'metadata' must be a JSON object")
    return InboundMessage(sender=sender, text=clean_text(message), metadata=metadata)
