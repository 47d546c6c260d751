"""Alembic migrations for Veivalg's own tables: run at set-up, and by `veivalg db upgrade`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from bot.databases import ensure_sqlite_folder
from bot.db import engine_for
from bot.settings import PROJECT_ROOT

BASELINE = "0001"


def alembic_config(url: str) -> Config:
    """Alembic's configuration for this project, pointed at `url`."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(url: str) -> None:
    """Bring the database to the newest schema; a database built before migrations is stamped first."""
    from bot.db import Base, import_models

    ensure_sqlite_folder(url)
    config = alembic_config(url)
    import_models()
    tables = set(inspect(engine_for(url)).get_table_names())
    # Stamp only a database whose Veivalg tables were built before migrations (Rasa's `events` table
    # may share the database and says nothing about Veivalg's schema).
    if tables & set(Base.metadata.tables) and "alembic_version" not in tables:
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
