"""Deleting conversations: on the user's request, by a counsellor, and after the retention period."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from sqlalchemy import Table, delete, func, inspect, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.expression import Update

from bot.settings import Settings
from bot.storage.engine import engine_for
from bot.storage.rasa_events import events as EVENTS
from bot.storage.schema import metadata
from bot.storage.tables.ratings import Rating

logger = logging.getLogger(__name__)

# Tables of Veivalg's own database that record who did what (the audit log) are kept on deletion:
# they hold the conversation's id, never its text. A table opts out with info={"keep_on_delete": True}.
KEEP_ON_DELETE = "keep_on_delete"
RATINGS = Rating.__table__


@dataclass(frozen=True)
class PurgeResult:
    """What a retention run deleted."""

    conversations: int
    events: int
    rows: int


def _conversation_tables() -> list[Table]:
    """Veivalg's tables that hold rows tied to one conversation by `sender_id`."""
    return [
        table
        for table in reversed(metadata().sorted_tables)
        if "sender_id" in table.c and not table.info.get(KEEP_ON_DELETE)
    ]


def has_events_table(engine: Engine) -> bool:
    """True once Rasa's tracker store has created its table."""
    return bool(inspect(engine).has_table("events"))


def _delete_own_rows(connection: Connection, sender_ids: list[str]) -> int:
    rows = 0
    for table in _conversation_tables():
        for start in range(0, len(sender_ids), 500):
            chunk = sender_ids[start : start + 500]
            rows += connection.execute(delete(table).where(table.c.sender_id.in_(chunk))).rowcount or 0
    for start in range(0, len(sender_ids), 500):
        chunk = sender_ids[start : start + 500]
        rows += connection.execute(_forget_comments().where(RATINGS.c.sender_id.in_(chunk))).rowcount or 0
    return rows


def _forget_comments() -> Update:
    """A rating keeps its number as a quality figure; its comment and its conversation go."""
    return update(RATINGS).values(comment=None, sender_id=None)


def _delete_events(connection: Connection, sender_ids: list[str]) -> int:
    events = 0
    for start in range(0, len(sender_ids), 500):
        chunk = sender_ids[start : start + 500]
        events += connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(chunk))).rowcount or 0
    return events


def delete_conversation(sender_id: str, *, settings: Settings) -> bool:
    """Delete a conversation's events, transcript and summary; False when nothing was stored."""
    own = 0
    with engine_for(settings.database_url).begin() as connection:
        own = _delete_own_rows(connection, [sender_id])
    events = 0
    tracker = engine_for(settings.tracker_store_url)
    if has_events_table(tracker):
        with tracker.begin() as connection:
            events = _delete_events(connection, [sender_id])
    logger.info("deleted conversation: %d events, %d other rows", events, own)
    return bool(events or own)


def expired_conversations(connection: Connection, cutoff: float) -> list[str]:
    """Conversations whose latest event is older than `cutoff` (unix seconds)."""
    last = func.max(EVENTS.c.timestamp)
    query = select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(last < cutoff)
    return [row[0] for row in connection.execute(query)]


def purge(*, settings: Settings, days: int | None = None, now: float | None = None) -> PurgeResult:
    """Delete every conversation with no message for `days` (default: the retention setting)."""
    keep_days = settings.retention_days if days is None else days
    cutoff = (time.time() if now is None else now) - keep_days * 86400
    tracker = engine_for(settings.tracker_store_url)
    sender_ids: list[str] = []
    events = 0
    if has_events_table(tracker):
        with tracker.begin() as connection:
            sender_ids = expired_conversations(connection, cutoff)
            events = _delete_events(connection, sender_ids)
    rows = 0
    with engine_for(settings.database_url).begin() as connection:
        rows = _delete_own_rows(connection, sender_ids)
        rows += _delete_expired_own_rows(connection, cutoff)
    return PurgeResult(conversations=len(sender_ids), events=events, rows=rows)


def _delete_expired_own_rows(connection: Connection, cutoff: float) -> int:
    """Rows of Veivalg's tables with a `created_at` older than the cutoff, whatever their conversation."""
    from datetime import datetime, timezone

    limit = datetime.fromtimestamp(cutoff, tz=timezone.utc)
    rows = 0
    for table in _conversation_tables():
        if "created_at" in table.c:
            rows += connection.execute(delete(table).where(table.c.created_at < limit)).rowcount or 0
    expired = _forget_comments().where(RATINGS.c.created_at < limit, RATINGS.c.comment.is_not(None))
    rows += connection.execute(expired).rowcount or 0
    return rows
