"""Every table Veivalg owns, imported in one place for Alembic and `create_tables`."""

from __future__ import annotations

from sqlalchemy import MetaData

from bot.settings import get_settings
from bot.storage.base import Base
from bot.storage.engine import engine_for
from bot.storage.tables import accounts, audit, catalogue, handover, notes, ratings  # noqa: F401


def metadata() -> MetaData:
    """The metadata of every Veivalg table (the tracker store's tables are Rasa's)."""
    return Base.metadata


def create_tables(url: str | None = None) -> None:
    """Create every table Veivalg owns that does not exist yet."""
    Base.metadata.create_all(engine_for(url or get_settings().database_url))
