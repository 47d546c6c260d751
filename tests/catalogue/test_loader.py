from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalogue.loader import DATA_FOLDER, load_folder
from bot.catalogue.queries import count_occupations, get_occupation, name_index
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'catalogue.db'}"
    create_tables(url)
    return url


def test_load_stores_every_occupation_with_routes_names_and_related(database: str):
    with session_factory(database).begin() as session:
        count = load_folder(DATA_FOLDER, session=session)

    with session_factory(database).begin() as session:
        assert count_occupations(session=session) == count >= 150
        tomrer = get_occupation("tomrer", session=session)
        assert tomrer is not None and tomrer.title == "Tømrer"
        assert tomrer.routes[0].programme.slug == "bygg-og-anleggsteknikk"
        assert tomrer.routes[0].steps[0].startswith("Vg1")
        assert "snekker" in {n.name for n in tomrer.names}
        assert tomrer.related and all(r.slug != "tomrer" for r in tomrer.related)
        assert ("electrician", "english", "elektriker") in name_index(session=session)


def test_loading_twice_replaces_instead_of_duplicating(database: str):
    for _ in range(2):
        with session_factory(database).begin() as session:
            count = load_folder(DATA_FOLDER, session=session)

    with session_factory(database).begin() as session:
        assert count_occupations(session=session) == count


def test_a_failed_load_keeps_the_old_catalogue(database: str, tmp_path: Path):
    with session_factory(database).begin() as session:
        count = load_folder(DATA_FOLDER, session=session)
    (tmp_path / "broken" / "occupations").mkdir(parents=True)
    (tmp_path / "broken" / "programmes.yml").write_text("programmes: []\n")

    with pytest.raises(ValueError), session_factory(database).begin() as session:
        load_folder(tmp_path / "broken", session=session)

    with session_factory(database).begin() as session:
        assert count_occupations(session=session) == count
