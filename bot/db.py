"""Veivalg's own database: engines and sessions made on demand, never at import time."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry, sessionmaker

from bot.databases import ensure_sqlite_folder
from bot.settings import get_settings

mapper_registry = registry()
Base: Any = mapper_registry.generate_base()


def make_engine(url: str) -> Engine:
    """An engine in SQLAlchemy 2.0 style; SQLite gets a busy timeout and foreign keys."""
    ensure_sqlite_folder(url)
    is_sqlite = url.startswith("sqlite")
    engine = create_engine(
        url, future=True, pool_pre_ping=not is_sqlite, connect_args={"timeout": 15} if is_sqlite else {}
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


def import_models() -> None:
    """Import every module that declares tables, so that Base.metadata knows them all."""
    import bot.catalogue.models
    import bot.handover
    import bot.quality
    import bot.review.accounts
    import bot.review.annotations
    import bot.review.audit  # noqa: F401


def create_tables(url: str | None = None) -> None:
    """Create every table Veivalg owns (the tracker store's tables are Rasa's)."""
    import_models()
    Base.metadata.create_all(engine_for(url or get_settings().database_url))
