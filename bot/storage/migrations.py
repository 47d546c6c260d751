"""Alembic migrations for Veivalg's own tables: run at set-up, and by `veivalg db upgrade`."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from bot.paths import MIGRATIONS_DIR, PROJECT_ROOT
from bot.storage.engine import engine_for, ensure_sqlite_folder
from bot.storage.schema import metadata

BASELINE = "0001"


def alembic_config(url: str) -> Config:
    """Alembic's configuration for this project, pointed at `url`."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url
    return config


def upgrade(url: str) -> None:
    """Bring the database to the newest schema; a database built before migrations is stamped first."""
    ensure_sqlite_folder(url)
    config = alembic_config(url)
    inspector = inspect(engine_for(url))
    tables = set(inspector.get_table_names())
    # Stamp only a database whose Veivalg tables were built without migrations (Rasa's `events` table
    # may share the database and says nothing about Veivalg's schema): at the newest revision when it
    # already has every column (built by `create_tables`), else at the baseline.
    own = tables & set(metadata().tables)
    if own and "alembic_version" not in tables:
        complete = all(
            {c.name for c in metadata().tables[name].columns} <= {c["name"] for c in inspector.get_columns(name)}
            for name in own
        )
        command.stamp(config, "head" if complete else BASELINE)
    command.upgrade(config, "head")
