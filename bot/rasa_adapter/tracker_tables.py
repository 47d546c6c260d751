"""Rasa's own tables for stored conversations, created at set-up rather than on the first message."""

from __future__ import annotations

from bot.storage.engine import ensure_sqlite_folder


def init_tracker_store(url: str) -> None:
    """Let Rasa's SQL tracker store create its tables now."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    ensure_sqlite_folder(url)
    store = SQLTrackerStore(domain=Domain.empty(), host=url)
    store.engine.dispose()
