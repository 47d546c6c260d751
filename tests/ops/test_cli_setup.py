from __future__ import annotations

from sqlalchemy import delete

from bot.ops.cli import main
from bot.settings import get_settings
from bot.storage.engine import session_factory
from bot.storage.tables.catalogue import Occupation, OccupationName, Route, related_occupations


def test_the_catalogue_is_loaded_once_and_again_when_the_database_lost_it(catalogue_db, monkeypatch, tmp_path, capsys):
    (tmp_path / "home").mkdir()
    monkeypatch.setenv("VEIVALG_HOME", str(tmp_path / "home"))
    get_settings.cache_clear()

    assert main(["catalogue", "load"]) == 0
    assert "yrker lastet inn" in capsys.readouterr().out
    assert main(["catalogue", "load"]) == 0  # a warm start: nothing changed, nothing read again
    assert "yrkeskatalogen er uendret" in capsys.readouterr().out

    with session_factory(catalogue_db).begin() as session:
        for table in (related_occupations, Route.__table__, OccupationName.__table__):
            session.execute(delete(table))
        session.execute(delete(Occupation))
    assert main(["catalogue", "load"]) == 0
    assert "yrker lastet inn" in capsys.readouterr().out
