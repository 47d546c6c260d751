"""`veivalg handoffs list` prints the queue for operators and scripts."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.handover import queue as handover
from bot.ops import cli
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables
from bot.storage.tables.audit import AuditEntry


def test_the_queue_as_json_has_the_agreed_fields(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    monkeypatch.setenv("VEIVALG_HOME", str(tmp_path))
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url)
    create_tables(url)
    with session_factory(url).begin() as session:
        shared = handover.request_handoff("calm", session=session, summary="Min plan:\n- Yrke: Kokk").contact_code
        code = handover.request_handoff("crisis", session=session, reason="crisis", urgent=True).contact_code

    assert cli.main(["handoffs", "list", "--json"]) == 0

    entries = json.loads(capsys.readouterr().out)
    assert [(e["sender_id"], e["urgent"], e["status"]) for e in entries] == [("crisis", True, "new"),
                                                                              ("calm", False, "new")]
    assert entries[0]["contact_code"] == code and entries[0]["created_at"]
    with session_factory(url).begin() as session:
        (action, who, detail), = session.execute(select(AuditEntry.action, AuditEntry.username, AuditEntry.detail))
    assert (action, detail) == ("queue", f"sammendrag vist: {shared}")  # the summary it printed is audited
    assert who.startswith("kommandolinje:")


def test_the_plain_list_marks_urgent_entries(monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    monkeypatch.setenv("VEIVALG_HOME", str(tmp_path))
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url)

    assert cli.main(["handoffs", "list"]) == 0
    assert "Køen er tom." in capsys.readouterr().out

    with session_factory(url).begin() as session:
        handover.request_handoff("x", session=session, urgent=True, reason="crisis")
    cli.main(["handoffs", "list"])
    assert capsys.readouterr().out.startswith("HASTER ")
