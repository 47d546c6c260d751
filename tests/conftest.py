"""Shared fixtures: trackers from JSON files, a dispatcher, the domain, isolated settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.paths import PROJECT_ROOT, read_yaml
from bot.settings import get_settings

FIXTURES = Path(__file__).parent / "fixtures"
# Tests that start servers (Rasa, the action server, the web process, PostgreSQL, Redis, Chromium) keep their
# module together on one pytest-xdist worker, so a module's servers start once; every other test is spread
# over the workers (`make pytest` runs `pytest -n 2 --dist loadgroup`).
SERVER_FOLDERS = ("system", "browser")


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keep each module of tests that start servers on one xdist worker."""
    tests = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(tests).parts if item.path.is_relative_to(tests) else ()
        if parts and parts[0] in SERVER_FOLDERS:
            item.add_marker(pytest.mark.xdist_group(item.path.stem))


def load_tracker(name: str) -> Tracker:
    """A rasa_sdk Tracker built from tests/fixtures/trackers/<name>.json."""
    state = json.loads((FIXTURES / "trackers" / f"{name}.json").read_text(encoding="utf-8"))
    return Tracker.from_dict(state)


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(PROJECT_ROOT / "domain.yml")
    return loaded


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Each test reads settings anew, with its own secret and no .env surprises."""
    monkeypatch.setenv("VEIVALG_SECRET_KEY", "test-secret-" + "x" * 40)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def loaded_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue loaded once into an SQLite file that tests copy."""
    from bot.catalogue.loader import load_folder
    from bot.storage.engine import session_factory
    from bot.storage.schema import create_tables

    path = tmp_path_factory.mktemp("catalogue") / "veivalg.db"
    create_tables(f"sqlite:///{path}")
    with session_factory(f"sqlite:///{path}").begin() as session:
        load_folder(session=session)
    return path


@pytest.fixture
def catalogue_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, loaded_catalogue: Path) -> str:
    """A fresh copy of the loaded catalogue, used by the settings of this test."""
    import shutil

    from bot.catalogue.service import forget_resolvers

    shutil.copy(loaded_catalogue, tmp_path / "veivalg.db")
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url)
    get_settings.cache_clear()
    forget_resolvers()
    return url
