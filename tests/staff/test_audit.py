from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import update

from bot.staff import audit
from bot.staff.audit import AuditFilters
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables
from bot.storage.tables.audit import AuditEntry


def test_entries_are_recorded_and_filtered(tmp_path):
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    create_tables(url)
    maker = session_factory(url)
    with maker.begin() as db:
        audit.record("login", session=db, username="vera", role="counsellor")
        audit.record("read", session=db, username="vera", role="counsellor", sender_id="a")
        audit.record("read", session=db, username="ada", role="admin", sender_id="b")
        audit.record("login_failed", session=db, username="x" * 100, detail="y" * 900)
    with maker.begin() as db:
        january_fifth = datetime(2025, 1, 5, 12, tzinfo=timezone.utc)
        db.execute(update(AuditEntry).where(AuditEntry.id == 1).values(at=january_fifth))
    with maker.begin() as db:
        rows, total = audit.entries(session=db)
        assert total == 4 and [r.action for r in rows] == ["login_failed", "read", "read", "login"]
        assert len(rows[0].username) == 64 and len(rows[0].detail) == 500
        assert [r.sender_id for r in audit.entries(session=db, filters=AuditFilters(action="read"))[0]] == ["b", "a"]
        only_vera = audit.entries(session=db, filters=AuditFilters(username=" VERA "))[0]
        assert [r.action for r in only_vera] == ["read", "login"]
        assert audit.entries(session=db, filters=AuditFilters(sender_id="a"))[1] == 1
        january = audit.entries(session=db, filters=AuditFilters(date_from=date(2025, 1, 5), date_to=date(2025, 1, 5)))
        assert [r.action for r in january[0]] == ["login"]
        page, total = audit.entries(session=db, limit=2, offset=2)
        assert total == 4 and [r.action for r in page] == ["read", "login"]


def test_the_audit_log_survives_deleting_a_conversation():
    assert AuditEntry.__table__.info == {"keep_on_delete": True}
    assert set(audit.ACTIONS) >= {"login", "login_failed", "read", "export_json", "export_csv", "delete", "note"}
