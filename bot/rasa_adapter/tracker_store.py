"""A tracker store that keeps a conversation only when the user said yes to storing it."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

from bot.privacy.consent import CONSENT_SLOT
from bot.rasa_adapter.dialogue_history import applied_events
from bot.rasa_adapter.tracker_cache import ConversationCache, Kept, appended_events, fork
from bot.rasa_adapter.unsaved import InProcess, InRedis, UnsavedConversations, latest_session
from bot.settings import get_settings
from bot.storage.redis_connection import redis_client

logger = logging.getLogger(__name__)
T = TypeVar("T")
RETRY_SECONDS = 15.0
SQLITE_BUSY_SECONDS = 1.0
# Conversations whose stored events could not be read in this process: the turn ran on an empty tracker,
# so it must neither be saved over the stored one nor shown to the user as an answer (bot/rasa_adapter/channel.py).
UNREADABLE: set[str] = set()

MEMORY_SECONDS = 3 * 60 * 60
# Conversations without consent kept in memory at most; past this the least recently used one goes.
MAX_UNSAVED = 5000
KEPT_STORED_SECONDS = 60 * 60  # a stored conversation kept in memory is forgotten after an hour without use
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

    Until the user agrees, and after they decline or withdraw, the conversation lives only in memory, so
    the dialogue still works, and any stored copy is deleted: in this process's memory, or with
    `unsaved: redis` in the endpoints (the scaled profile) in a Redis without persistence that every
    Rasa server shares, so a message may reach any of them. Memory copies are dropped after three hours
    without a message.

    Stored conversations are also kept in memory between turns (`bot/rasa_adapter/tracker_cache.py`), exactly as they
    were stored (redacted), and used only while the database still holds the same rows for them, so a
    long conversation is not read and replayed from the database at every turn.
    """

    def __init__(self, domain: Domain | None = None, host: str | None = None, **kwargs: Any) -> None:
        unsaved = str(kwargs.pop("unsaved", "memory"))
        unsaved_db = int(kwargs.pop("unsaved_db", 1))
        # Without a `url` in the endpoints file (a hand-started `rasa shell`), the configured database.
        super().__init__(domain=domain, host=host or get_settings().tracker_store_url, **kwargs)
        # Check pooled connections before use, so a restarted database costs a retry, not an error.
        old: Any = getattr(self, "engine")  # noqa: B009 (Rasa's attribute has no type mypy can see)
        url = old.url
        old.dispose()
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            # A pool of open connections (SQLAlchemy 1.4 opens and closes the file for every query) and
            # the write-ahead log: one sync per commit instead of several, and readers never blocked.
            # A writer waits at most SQLITE_BUSY_SECONDS for a lock, then _retrying waits without
            # holding up the other conversations of this server.
            engine = sa.create_engine(
                url,
                poolclass=sa.pool.QueuePool,
                connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
            )
            sa.event.listen(engine, "connect", _sqlite_write_ahead_log)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.engine = engine
        self.sessionmaker = sa.orm.session.sessionmaker(bind=engine)
        # Conversations without consent: only in memory, never in the database.
        self.unsaved: UnsavedConversations = (
            InRedis(redis_client(unsaved_db), lambda: self.domain.slots, MEMORY_SECONDS)
            if unsaved == "redis" else InProcess()
        )
        self.cache = ConversationCache(get_settings().tracker_cache_events, KEPT_STORED_SECONDS)
        self.retry_seconds = RETRY_SECONDS
        self._swept = 0.0

    async def _retrying(self, sender_id: str, operation: Callable[[], Awaitable[T]]) -> T:
        """Run a database operation, retrying for a while when the database is down, restarting or locked."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.2
        while True:
            try:
                return await operation()
            except (DBAPIError, RedisError) as exc:
                reason = getattr(exc, "orig", None) or exc
                if time.monotonic() + delay > deadline:
                    raise StoreUnavailable(f"the conversation store did not answer: {reason}") from exc
                logger.warning("The conversation store is unavailable, retrying: %s", reason)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

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
            self.cache.drop(tracker.sender_id)
            raise

    async def _save(self, tracker: DialogueStateTracker) -> None:
        self._forget_stale()
        sender = tracker.sender_id
        tracker = forget_before_deletion(tracker, self.domain)
        if self.consented(tracker):
            self.unsaved.pop(sender)
            await self.save_redacted(tracker)
            return
        self.cache.drop(sender)
        self._keep_unsaved(tracker)
        self.delete_stored(sender)

    def _keep_unsaved(self, tracker: DialogueStateTracker) -> None:
        """Keep a conversation without consent in memory, as Rasa's in-memory store would give it back."""
        sender = tracker.sender_id
        # Only to tell whether this turn added events to the copy it started from: no second read of Redis.
        kept = self.unsaved.peek(sender)
        added = appended_events(kept.tracker, tracker) if kept is not None else None
        full = fork(tracker)
        if added is not None and not any(_starts_session(event) for event in added):
            latest = full
        else:
            latest = latest_session(full)
        self.unsaved.put(sender, Kept(latest, full=full, seen=time.monotonic()), MAX_UNSAVED)

    async def _unsaved(self, sender_id: str) -> Kept | None:
        return self.unsaved.get(sender_id)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        try:
            kept = await self._retrying(sender_id, lambda: self._unsaved(sender_id))
        except StoreUnavailable:
            UNREADABLE.add(sender_id)
            raise
        if kept is not None:
            return fork(kept.tracker)
        try:
            tracker = await self._retrying(sender_id, lambda: self._retrieve_stored(sender_id))
        except StoreUnavailable:
            UNREADABLE.add(sender_id)
            raise
        UNREADABLE.discard(sender_id)
        return tracker

    async def _retrieve_stored(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session of a stored conversation: from memory while the database has the same rows."""
        with self.session_scope() as session:
            rows, newest = self._stored_rows(session, sender_id)
        kept = self.cache.get(sender_id)
        if kept is not None and (kept.rows, kept.newest_id) == (rows, newest):
            return fork(kept.tracker)
        tracker = await super().retrieve(sender_id)
        if tracker is None:
            self.cache.drop(sender_id)
            return None
        kept = Kept(fork(tracker), rows=rows, newest_id=newest)
        applied_events(kept.tracker)  # worked out once here, then carried forward by every fork
        self.cache.put(sender_id, kept)
        return tracker

    def _stored_rows(self, session: Any, sender_id: str) -> tuple[int, int | None]:
        """How many rows the database holds for a conversation, and the newest row's id."""
        event = self.SQLEvent
        count, newest = session.execute(
            sa.select(sa.func.count(event.id), sa.func.max(event.id)).where(event.sender_id == sender_id)
        ).one()
        return int(count), newest

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        kept = await self._retrying(conversation_id, lambda: self._unsaved(conversation_id))
        if kept is not None:
            return fork(kept.full or kept.tracker)
        return await super().retrieve_full_tracker(conversation_id)

    async def save_redacted(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQL save, with personal data removed from every event before it is written."""
        from bot.privacy.redaction.events import redact_event_data, redactor_for_one_save  # Presidio and spaCy: heavy

        await self.stream_events(tracker)
        sender = tracker.sender_id
        kept = self.cache.get(sender)
        added = appended_events(kept.tracker, tracker) if kept is not None else None
        redact = redactor_for_one_save()
        written: list[str] = []
        with self.session_scope() as session:
            if added is not None and kept is not None and self._stored_rows(session, sender) == (
                kept.rows,
                kept.newest_id,
            ):
                new_events: list[Event] = added  # the database holds exactly the kept conversation
            else:
                kept = None
                new_events = list(self._additional_events(session, tracker))
            rows = []
            for event in new_events:
                data = redact_event_data(event.as_dict(), redact)
                written.append(json.dumps(data))
                rows.append(
                    self.SQLEvent(
                        sender_id=sender,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=written[-1],
                    )
                )
            session.add_all(rows)
            session.flush()
            newest = max((row.id for row in rows), default=None)
            session.commit()
        if kept is None:
            self.cache.drop(sender)
            return
        self._remember_written(sender, kept, written, newest)

    def _remember_written(self, sender: str, kept: Kept, written: list[str], newest: int | None) -> None:
        """Add what was just stored to the kept conversation, exactly as a read from the database would give it."""
        stored = [Event.from_parameters(json.loads(data)) for data in written]
        if any(_starts_session(event) or event is None for event in stored):
            self.cache.drop(sender)  # a new session: the next turn reads it from the database
            return
        for event in stored:
            kept.tracker.update(event)
        applied_events(kept.tracker)
        kept.rows += len(stored)
        kept.newest_id = newest if newest is not None else kept.newest_id
        self.cache.grew(sender, len(stored))

    def delete_stored(self, sender_id: str) -> int:
        """Delete every stored event of a conversation; return how many rows went."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return int(deleted)

    def _forget_stale(self) -> None:
        now = time.monotonic()
        if now - self._swept < 60:
            return
        self._swept = now
        self.unsaved.sweep(MEMORY_SECONDS)
        self.cache.drop_idle()


def _sqlite_write_ahead_log(connection: Any, record: Any) -> None:
    """SQLite in write-ahead-log mode: one sync per commit instead of several, readers never blocked."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _starts_session(event: Event | None) -> bool:
    return isinstance(event, SessionStarted) or (
        isinstance(event, ActionExecuted) and event.action_name == ACTION_SESSION_START_NAME
    )
