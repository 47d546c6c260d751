"""A tracker store that keeps a conversation only when the user said yes to storing it."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import DBAPIError

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_SECONDS = 15.0
# Conversations whose stored events could not be read in this process: the turn ran on an empty tracker,
# so it must neither be saved over the stored one nor shown to the user as an answer (bot/channels/rest.py).
UNREADABLE: set[str] = set()

CONSENT_SLOT = "consent_to_store"
MEMORY_SECONDS = 3 * 60 * 60
DELETE_ACTION = "action_delete_conversation"
# Slots that survive «slett samtalen min»: the answer about storage and the retention period.
KEPT_AFTER_DELETION = (CONSENT_SLOT, "retention_days")


def forget_before_deletion(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The conversation as it stands after the user's deletion: only what came after it."""
    events = list(tracker.events)
    marks = [i for i, e in enumerate(events) if isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION]
    if not marks:
        return tracker
    kept = [SlotSet(name, tracker.get_slot(name)) for name in KEPT_AFTER_DELETION if name in tracker.slots]
    return DialogueStateTracker.from_events(tracker.sender_id, kept + events[marks[-1] + 1 :], domain.slots)


class StoreUnavailable(RuntimeError):
    """The database did not answer within RETRY_SECONDS."""


class ConsentTrackerStore(SQLTrackerStore):
    """SQL for conversations with consent; memory only (and nothing in the database) for the rest.

    Until the user agrees, and after they decline or withdraw, the conversation lives only in this
    process's memory, so the dialogue still works, and any stored copy is deleted. Memory copies are
    dropped after three hours without a message.
    """

    def __init__(self, domain: Domain | None = None, host: str | None = None, **kwargs: Any) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        # Check pooled connections before use, so a restarted database costs a retry, not an error.
        old: Any = getattr(self, "engine")  # noqa: B009 (Rasa's attribute has no type mypy can see)
        url = old.url
        old.dispose()
        engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
        self.memory = InMemoryTrackerStore(domain or Domain.empty())
        self.last_seen: dict[str, float] = {}
        self.retry_seconds = RETRY_SECONDS

    async def _retrying(self, sender_id: str, operation: Callable[[], Awaitable[T]]) -> T:
        """Run a database operation, retrying for a while when the database is down, restarting or locked."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                return await operation()
            except DBAPIError as exc:
                if time.monotonic() + delay > deadline:
                    raise StoreUnavailable(f"the conversation store did not answer: {exc.orig}") from exc
                logger.warning("The conversation store is unavailable, retrying: %s", exc.orig)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    def _memory(self) -> InMemoryTrackerStore:
        # Rasa sets the domain on the store after loading the model; the memory store must follow it.
        self.memory.domain = self.domain
        return self.memory

    @staticmethod
    def consented(tracker: DialogueStateTracker) -> bool:
        """True only when the user explicitly agreed."""
        return tracker.get_slot(CONSENT_SLOT) is True

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store with consent; otherwise keep in memory and make sure nothing is in the database."""
        if tracker.sender_id in UNREADABLE:
            # This turn ran on an empty tracker because the stored one could not be read: saving it
            # would overwrite (or, without the consent slot, delete) the real conversation.
            raise StoreUnavailable("the stored conversation could not be read; not saving over it")
        try:
            await self._retrying(tracker.sender_id, lambda: self._save(tracker))
        except StoreUnavailable:
            UNREADABLE.add(tracker.sender_id)  # not stored: the channel must not acknowledge this turn
            raise

    async def _save(self, tracker: DialogueStateTracker) -> None:
        self._forget_stale()
        sender = tracker.sender_id
        tracker = forget_before_deletion(tracker, self.domain)
        if self.consented(tracker):
            self.memory.store.pop(sender, None)
            self.last_seen.pop(sender, None)
            await self.save_redacted(tracker)
            return
        await self._memory().save(tracker)
        self.last_seen[sender] = time.monotonic()
        self.delete_stored(sender)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if sender_id in self.memory.store:
            return await self._memory().retrieve(sender_id)
        try:
            tracker = await self._retrying(sender_id, lambda: super(ConsentTrackerStore, self).retrieve(sender_id))
        except StoreUnavailable:
            UNREADABLE.add(sender_id)
            raise
        UNREADABLE.discard(sender_id)
        return tracker

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        if conversation_id in self.memory.store:
            return await self._memory().retrieve_full_tracker(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    async def save_redacted(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQL save, with personal data removed from every event before it is written."""
        from bot.redaction import redact_event_data

        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event_data(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    def delete_stored(self, sender_id: str) -> int:
        """Delete every stored event of a conversation; return how many rows went."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return int(deleted)

    def _forget_stale(self) -> None:
        limit = time.monotonic() - MEMORY_SECONDS
        for sender in [s for s, seen in self.last_seen.items() if seen < limit]:
            self.memory.store.pop(sender, None)
            self.last_seen.pop(sender, None)
