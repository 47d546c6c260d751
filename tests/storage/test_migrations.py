"""Alembic migrations build exactly the tables the models declare, and adopt databases built before them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.storage.engine import engine_for
from bot.storage.migrations import upgrade
from bot.storage.schema import create_tables, metadata


def differences(url: str) -> list:
    with engine_for(url).connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), metadata()))


def test_a_fresh_database_gets_every_table_and_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"

    upgrade(url)

    tables = set(inspect(engine_for(url)).get_table_names())
    assert set(metadata().tables) <= tables and "alembic_version" in tables
    assert differences(url) == []


def test_upgrading_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    upgrade(url)
    upgrade(url)

    own = [d for d in differences(url) if "events" not in str(d[1])]  # Rasa's table is not ours to migrate
    assert own == []
    assert set(metadata().tables) <= set(inspect(engine_for(url)).get_table_names())


def test_a_database_built_without_migrations_is_adopted(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    create_tables(url)

    upgrade(url)

    with engine_for(url).connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == "0006"
    assert differences(url) == []


def test_a_database_at_the_baseline_gets_the_catalogue_facts_columns(tmp_path):
    from alembic import command

    from bot.storage.migrations import alembic_config

    url = f"sqlite:///{tmp_path / 'baseline.db'}"
    command.upgrade(alembic_config(url), "0001")
    assert "attest" not in {c["name"] for c in inspect(engine_for(url)).get_columns("catalogue_occupations")}

    upgrade(url)

    columns = {c["name"] for c in inspect(engine_for(url)).get_columns("catalogue_occupations")}
    assert {"attest", "background_check", "praksis_months", "sources"} <= columns
    assert differences(url) == []


def test_a_database_shared_with_rasas_events_table_still_gets_every_table(tmp_path):
    from bot.privacy.retention import EVENTS

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    EVENTS.metadata.create_all(engine_for(url))

    upgrade(url)

    own = [d for d in differences(url) if "events" not in str(d[1])]  # Rasa's table is not ours to migrate
    assert own == []
    assert set(metadata().tables) <= set(inspect(engine_for(url)).get_table_names())
