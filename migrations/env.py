"""Alembic environment: Veivalg's metadata, and the URL from the settings (or the caller)."""

from __future__ import annotations

from alembic import context

from bot.settings import get_settings
from bot.storage.engine import engine_for
from bot.storage.schema import metadata

target_metadata = metadata()
url = context.config.attributes.get("url") or get_settings().database_url

with engine_for(url).connect() as connection:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
