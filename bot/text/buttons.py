"""Numbered buttons: a typed number picks the button with that number."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def is_number(text: str) -> bool:
    """True when the text is just a button number, the only case where the latest buttons matter."""
    return bool(_NUMBER.match(text or ""))


def select_button(text: str, buttons: Sequence[Mapping[str, Any]]) -> str | None:
    """The payload of button N when `text` is just the number N (1-based), else None."""
    match = _NUMBER.match(text or "")
    if not match or not buttons:
        return None
    index = int(match.group(1)) - 1
    if 0 <= index < len(buttons):
        payload = buttons[index].get("payload")
        return str(payload) if payload else None
    return None


def numbered(buttons: Sequence[Mapping[str, Any]]) -> list[str]:
    """Button titles as numbered lines for a terminal: '1) Ja'."""
    return [f"{number}) {button.get('title', '')}" for number, button in enumerate(buttons, start=1)]
