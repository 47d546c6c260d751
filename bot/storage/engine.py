"""Engines and sessions for Veivalg's databases, made on demand, never at import time."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import sessionmaker

from bot.settings import Settings, get_settings
from bot.storage.base import Base
from bot.storage.rasa_events import events


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of an SQLite database file; other databases are left alone."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    """An engine in SQLAlchemy 2.0 style; SQLite gets a busy timeout and foreign keys."""
    ensure_sqlite_folder(url)
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(
        url, future=True, pool_pre_ping=not is_sqlite,
        # A request's session may be opened and closed in different worker threads (FastAPI dependencies).
        connect_args={"timeout": 15, "check_same_thread": False} if is_sqlite else {},
    )
    if is_sqlite:

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One engine per database URL per process."""
    return make_engine(url)


def session_factory(url: str | None = None) -> sessionmaker:
    """A sessionmaker for the configured database (or `url`); use `with Session.begin() as session`."""
    return sessionmaker(engine_for(url or get_settings().database_url), future=True, expire_on_commit=False)


def conversation_session_factory(settings: Settings) -> sessionmaker:
    """Sessions that read Rasa's `events` from the tracker store and everything else from Veivalg's database."""
    return sessionmaker(
        binds={events: engine_for(settings.tracker_store_url), Base: engine_for(settings.database_url)},
        future=True,
        expire_on_commit=False,
    )
