"""Create the databases Veivalg needs before the first conversation."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from bot.settings import Settings


def init_databases(settings: Settings) -> list[str]:
    """Build every database; return one line per database for the console."""
    from bot.rasa_adapter.tracker_tables import init_tracker_store
    from bot.storage.migrations import upgrade

    init_tracker_store(settings.tracker_store_url)
    upgrade(settings.database_url)
    return [
        f"samtaledatabase klar: {make_url(settings.tracker_store_url).render_as_string()}",
        f"Veivalg-database klar: {make_url(settings.database_url).render_as_string()}",
    ]
