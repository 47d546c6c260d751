"""A stored conversation as Rasa would see it now: its slots, read through the tracker store."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.settings import Settings


def stored_slots(sender_id: str, *, settings: Settings) -> dict[str, Any] | None:
    """The current slot values of a stored conversation, or None when nothing is stored under this id."""
    from rasa.shared.core.domain import Domain

    from bot.rasa_adapter.tracker_store import ConsentTrackerStore

    domain = Domain.from_path(str(settings.home / "domain.yml"))
    store = ConsentTrackerStore(domain=domain, host=settings.tracker_store_url)
    try:
        tracker = asyncio.run(store.retrieve_full_tracker(sender_id))
    finally:
        store.engine.dispose()
    if tracker is None or not tracker.events:
        return None
    return dict(tracker.current_slot_values())
