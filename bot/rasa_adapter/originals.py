"""What Veivalg's changes replaced in Rasa, as Rasa shipped it: (class, attribute name) -> the attribute."""

from __future__ import annotations

from typing import Any

ORIGINALS: dict[tuple[type, str], Any] = {}
