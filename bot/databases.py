"""Create the databases Veivalg needs before the first conversation."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of an SQLite database file; other databases are left alone."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)


def init_tracker_store(url: str) -> None:
    """Let Rasa's SQL tracker store create its tables now rather than on the first message."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    ensure_sqlite_folder(url)
    store = SQLTrackerStore(domain=Domain.empty(), host=url)
    store.engine.dispose()


def init_databases(settings: Settings) -> list[str]:
    """Build every database; return one line per database for the console."""
    from bot.migrations import upgrade

    init_tracker_store(settings.tracker_store_url)
    upgrade(settings.database_url)
    return [
        f"samtaledatabase klar: {make_url(settings.tracker_store_url).render_as_string()}",
        f"Veivalg-database klar: {make_url(settings.database_url).render_as_string()}",
    ]
