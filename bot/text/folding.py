"""Spelling folds: lower case without punctuation, and æ, ø, å spelt the way people type them without those keys."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"[\s_-]+", " ", text).strip()


def fold(text: str) -> str:
    """Spell æ, ø and å the way people type them without those keys (ae, o, a)."""
    text = normalise(text)
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a").replace("é", "e")
    return text.replace("aa", "a").replace("oe", "o")
