"""The language the bot writes in for the conversation being answered now (as Django's translation.override)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from bot.languages.detection import ENGLISH, NORWEGIAN

_current: ContextVar[str] = ContextVar("veivalg_language", default=NORWEGIAN)


def served(code: str | None) -> str:
    """The language Veivalg writes for a conversation's `language` slot: English, or else Norwegian."""
    return ENGLISH if code == ENGLISH else NORWEGIAN


def current_language() -> str:
    """The language of the conversation being answered now (Norwegian unless told otherwise)."""
    return _current.get()


def set_language(code: str | None) -> None:
    """Answer the rest of this request in the conversation's language (the action server's middleware)."""
    _current.set(served(code))


@contextmanager
def speaking(code: str | None) -> Iterator[str]:
    """Answer in this language inside the block, then as before."""
    token = _current.set(served(code))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def localized(path: Path, language: str | None = None) -> Path:
    """The English sibling of a Norwegian text file (texts.yml → texts.en.yml) when English is spoken."""
    if (language or current_language()) != ENGLISH:
        return path
    name, _, suffixes = path.name.partition(".")
    return path.with_name(f"{name}.{ENGLISH}.{suffixes}")
