"""Deletion on request and the retention purge remove every stored trace of a conversation."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import Column, DateTime, Integer, String, Table, insert, select

from bot.privacy import retention
from bot.privacy.retention import EVENTS, delete_conversation, purge
from bot.settings import load_settings
from bot.storage.base import Base
from bot.storage.engine import engine_for
from bot.storage.schema import create_tables


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(
        {
            "VEIVALG_HOME": str(tmp_path),
            "VEIVALG_SECRET_KEY": "s" * 40,
            "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
            "VEIVALG_DATABASE_URL": f"sqlite:///{tmp_path / 'veivalg.db'}",
            "VEIVALG_RETENTION_DAYS": "30",
        }
    )


@pytest.fixture
def notes_table():
    """A conversation-bound table like the review app's notes, and an audit-like table that is kept."""
    notes = Base.metadata.tables.get("test_notes") or Table(
        "test_notes", Base.metadata, Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
        Column("created_at", DateTime(timezone=True)), Column("text", String(200)),
    )
    audit = Base.metadata.tables.get("test_audit") or Table(
        "test_audit", Base.metadata, Column("id", Integer, primary_key=True), Column("sender_id", String(255)),
        info={retention.KEEP_ON_DELETE: True},
    )
    yield notes, audit
    Base.metadata.remove(notes)
    Base.metadata.remove(audit)


def add_events(settings, sender: str, when: float, count: int = 3) -> None:
    engine = engine_for(settings.tracker_store_url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        for i in range(count):
            data = {"event": "user", "timestamp": when + i, "text": f"melding {i}"}
            connection.execute(
                insert(EVENTS).values(sender_id=sender, type_name="user", timestamp=when + i, data=json.dumps(data))
            )


def senders(settings) -> list[str]:
    with engine_for(settings.tracker_store_url).connect() as connection:
        return sorted({row[0] for row in connection.execute(select(EVENTS.c.sender_id))})


def test_deleting_a_conversation_removes_its_events_and_rows_but_keeps_the_audit_trail(settings, notes_table):
    notes, audit = notes_table
    create_tables(settings.database_url)
    add_events(settings, "a", time.time())
    add_events(settings, "b", time.time())
    with engine_for(settings.database_url).begin() as connection:
        connection.execute(insert(notes).values(sender_id="a", text="oppfølging"))
        connection.execute(insert(audit).values(sender_id="a"))

    assert delete_conversation("a", settings=settings) is True

    assert senders(settings) == ["b"]
    with engine_for(settings.database_url).connect() as connection:
        assert connection.execute(select(notes.c.sender_id)).all() == []
        assert connection.execute(select(audit.c.sender_id)).all() == [("a",)]


def test_deleting_what_does_not_exist_says_so(settings):
    create_tables(settings.database_url)

    assert delete_conversation("ingen", settings=settings) is False


def test_purge_deletes_only_conversations_older_than_the_retention_period(settings, notes_table):
    notes, _ = notes_table
    create_tables(settings.database_url)
    now = time.time()
    add_events(settings, "old", now - 31 * 86400)
    add_events(settings, "recent", now - 29 * 86400)
    add_events(settings, "old-but-active", now - 40 * 86400)
    add_events(settings, "old-but-active", now - 60, count=1)
    with engine_for(settings.database_url).begin() as connection:
        connection.execute(insert(notes).values(sender_id="old", text="x"))

    result = purge(settings=settings, now=now)

    assert result.conversations == 1 and result.events == 3 and result.rows == 1
    assert senders(settings) == ["old-but-active", "recent"]


def test_purge_works_before_any_conversation_exists(settings):
    create_tables(settings.database_url)

    assert purge(settings=settings) == retention.PurgeResult(0, 0, 0)


def test_the_purge_and_delete_commands(settings, monkeypatch, capsys):
    from bot.ops import cli
    for key, value in (("VEIVALG_HOME", str(settings.home)), ("VEIVALG_TRACKER_STORE_URL", settings.tracker_store_url),
                       ("VEIVALG_DATABASE_URL", settings.database_url), ("VEIVALG_RETENTION_DAYS", "30")):
        monkeypatch.setenv(key, value)
    create_tables(settings.database_url)
    add_events(settings, "old", time.time() - 40 * 86400)
    add_events(settings, "keep", time.time())

    assert cli.main(["transcripts", "purge"]) == 0
    assert "Slettet 1 samtaler (3 hendelser" in capsys.readouterr().out
    assert cli.main(["transcripts", "delete", "keep"]) == 0
    assert cli.main(["transcripts", "delete", "keep"]) == 1
    assert "Fant ingen lagret samtale" in capsys.readouterr().err
    assert senders(settings) == []
    assert cli.main(["transcripts", "purge", "--days", "0"]) == 2


def test_a_rating_comment_goes_with_its_conversation_and_with_time_the_number_stays(settings):
    from datetime import datetime, timedelta, timezone

    from bot.guidance.rating import record_rating
    from bot.privacy.redaction import redact_text
    from bot.storage.engine import session_factory
    from bot.storage.tables.ratings import Rating

    create_tables(settings.database_url)
    with session_factory(settings.database_url).begin() as session:
        comment = redact_text("fint, ring meg på 912 34 567")  # as action_store_rating does
        record_rating(4, comment, True, [], session=session, sender_id="t-slett")
        old = record_rating(5, "gammel kommentar", True, [], session=session, sender_id="t-gammel")
        old.created_at = datetime.now(timezone.utc) - timedelta(days=settings.retention_days + 1)
    with session_factory(settings.database_url).begin() as session:
        stored = {r.sender_id: r.comment for r in session.execute(select(Rating)).scalars()}
    assert stored["t-slett"] == "fint, ring meg på [telefon]"

    delete_conversation("t-slett", settings=settings)
    purge(settings=settings)

    with session_factory(settings.database_url).begin() as session:
        found = session.execute(select(Rating).order_by(Rating.id)).scalars()
        rows = [(r.rating, r.comment, r.sender_id) for r in found]
    assert rows == [(4, None, None), (5, None, None)]
