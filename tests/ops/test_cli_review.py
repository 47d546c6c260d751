from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import select

from bot.ops.cli import main
from bot.settings import get_settings
from bot.staff import accounts
from bot.storage.engine import session_factory
from bot.storage.tables.audit import AuditEntry
from tests.fixtures.transcripts.seed import seed, sender

HANDOVER, FALLBACKS = sender("handover"), sender("fallbacks")


@pytest.fixture
def home(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VEIVALG_HOME", str(tmp_path))
    monkeypatch.setenv("VEIVALG_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("VEIVALG_DATABASE_URL", f"sqlite:///{tmp_path / 'veivalg.db'}")
    get_settings.cache_clear()
    return tmp_path


@pytest.fixture
def stored(home):
    seed(f"sqlite:///{home / 'tracker.db'}")
    return home


def _audit(home) -> list[tuple]:
    with session_factory(f"sqlite:///{home / 'veivalg.db'}").begin() as db:
        return [tuple(r) for r in db.execute(select(AuditEntry.action, AuditEntry.sender_id).order_by(AuditEntry.id))]


def test_users_add_reads_the_password_from_stdin(home, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("et-godt-passord-1234\n"))
    assert main(["users", "add", "Kari", "--role", "counsellor", "--password-stdin"]) == 0
    assert "brukeren «kari» er laget, med rollen karriereveileder" in capsys.readouterr().out
    with session_factory(f"sqlite:///{home / 'veivalg.db'}").begin() as db:
        result = accounts.authenticate("kari", "et-godt-passord-1234", session=db)
        assert result.user is not None and result.user.role == "counsellor"
        assert result.user.password_hash.startswith("$argon2id$")


def test_users_add_asks_twice_and_refuses_different_passwords(home, monkeypatch, capsys):
    answers = iter(["et-godt-passord-1234", "et-annet-passord-1234"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["users", "add", "kari", "--role", "leader"]) == 1
    assert "Passordene er ikke like" in capsys.readouterr().err
    same = iter(["et-godt-passord-1234", "et-godt-passord-1234"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(same))
    assert main(["users", "add", "kari", "--role", "leader"]) == 0


def test_users_add_explains_what_is_wrong(home, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["users", "add", "kari", "--role", "admin", "--password-stdin"]) == 1
    assert "Passordet må ha minst 12 tegn." in capsys.readouterr().err
    for _ in range(2):
        monkeypatch.setattr("sys.stdin", io.StringIO("et-godt-passord-1234\n"))
        code = main(["users", "add", "kari", "--role", "admin", "--password-stdin"])
    assert code == 1 and "finnes allerede" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["users", "add", "kari", "--role", "sjef", "--password-stdin"])


def test_transcripts_show_prints_the_conversation(stored, capsys):
    assert main(["transcripts", "show", HANDOVER]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Samtale {HANDOVER}: startet 19.11.2025 14.30")
    assert "14.30   Bruker: kan jeg snakke med et menneske   [request_human 0.93]" in out
    assert "Karriereveileder (person): Det kan vi se på sammen." in out
    assert "-- Samtalen satt på pause (veileder tok over)" in out
    assert ("read", HANDOVER) in _audit(stored)


def test_transcripts_show_json(stored, capsys):
    assert main(["transcripts", "show", FALLBACKS, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["fallbacks"] == 3
    assert [t["text"] for t in data["turns"] if t["fallback"]] == [
        "hvor mye tjener en sveiser i Bergen", "får jeg permisjon til jul", "Hvor mye tjener en sveiser i Bergen"
    ]


def test_transcripts_show_unknown_fails_clearly(stored, capsys):
    assert main(["transcripts", "show", "finnes-ikke"]) == 1
    assert "fant ingen lagret samtale med id finnes-ikke" in capsys.readouterr().err
    assert ("not_found", "finnes-ikke") in _audit(stored)


def test_transcripts_list(stored, capsys):
    assert main(["transcripts", "list"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith(sender("crisis")) and "HASTER" in lines[0]
    assert main(["transcripts", "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["sender_id"] for d in data][-1] == sender("transition_unfinished")


def test_a_fresh_install_has_no_conversations_yet(home, capsys):
    assert main(["transcripts", "list"]) == 0
    assert "Ingen lagrede samtaler." in capsys.readouterr().out
    assert main(["transcripts", "show", "x"]) == 1
