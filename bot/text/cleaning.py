"""Clean what a user typed before anything reads it."""

from __future__ import annotations

import unicodedata


def clean_text(text: str) -> str:
    """Normalise Unicode, drop control characters except line breaks and tabs, trim."""
    text = unicodedata.normalize("NFC", text)
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "".join(kept).strip()
