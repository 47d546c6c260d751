"""The counsellors' queue and live chat: roles, CSRF, taking a case, writing, handing back, all audited."""

from __future__ import annotations

import shutil
from typing import ClassVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.handover import queue as handover
from bot.rasa_adapter.http_api import TakeoverError
from bot.settings import load_settings
from bot.storage.engine import session_factory
from bot.storage.tables.audit import AuditEntry
from bot.web.review import queue as handoffs
from bot.web.review.app import mount_review
from tests.fixtures.transcripts.seed import csrf_of, logged_in_as, review_settings


class FakeTakeover:
    """Records what the review app asked Rasa to do."""

    calls: ClassVar[list[tuple[str, str, str]]] = []
    fail = False

    def __init__(self, settings, **kwargs) -> None:
        pass

    def _do(self, action: str, sender: str, text: str = "") -> None:
        if FakeTakeover.fail:
            raise TakeoverError("Fikk ikke kontakt med Veivalg-serveren. Prøv igjen om litt.")
        FakeTakeover.calls.append((action, sender, text))

    def take_over(self, sender: str) -> None:
        self._do("take_over", sender)

    def say(self, sender: str, text: str) -> None:
        self._do("say", sender, text)

    def hand_back(self, sender: str) -> None:
        self._do("hand_back", sender)

    def messages(self, sender: str, *, shared: bool = False) -> list[dict]:
        return [{"author": "user", "text": "jeg vil snakke med noen", "ts": 1.0},
                *({"author": "counsellor", "text": t, "ts": 2.0} for a, s, t in FakeTakeover.calls if a == "say")]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return review_settings(tmp_path_factory.mktemp("handoffs"))


@pytest.fixture
def settings(prepared, tmp_path, monkeypatch):
    for name in ("tracker.db", "veivalg.db"):
        shutil.copy(prepared.home / name, tmp_path / name)
    monkeypatch.setattr(handoffs, "Takeover", FakeTakeover)
    FakeTakeover.calls, FakeTakeover.fail = [], False
    return load_settings({
        "VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": prepared.secret_key,
        "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "VEIVALG_DATABASE_URL": f"sqlite:///{tmp_path / 'veivalg.db'}",
    })


@pytest.fixture
def client(settings):
    app = FastAPI()
    mount_review(app, settings)
    return TestClient(app)


def queued(settings, sender: str = "w-live", live: bool = True, urgent: bool = False) -> int:
    with session_factory(settings.database_url).begin() as db:
        return int(handover.request_handoff(sender, session=db, live=live, urgent=urgent,
                                            summary="Min plan:\n- Yrke: Kokk").id)


def audited(settings) -> list[tuple[str, str | None]]:
    with session_factory(settings.database_url).begin() as db:
        return [tuple(r) for r in db.execute(select(AuditEntry.action, AuditEntry.sender_id).order_by(AuditEntry.id))]


def test_the_queue_needs_a_login_and_a_counsellor_role(client, settings):
    queued(settings)
    assert client.get("/review/ko", follow_redirects=False).status_code == 303
    logged_in_as(client, "leif")
    assert client.get("/review/ko").status_code == 403


def test_a_counsellor_sees_the_queue_urgent_first_and_goes_online(client, settings):
    queued(settings, "w-calm", live=False)
    queued(settings, "w-crisis", live=False, urgent=True)
    logged_in_as(client, "vera")

    page = client.get("/review/ko").text
    assert page.index("Haster") < page.index("Ta saken")  # the urgent case is the first row
    assert "Min plan:" in page and "ikke pålogget" in page

    token = csrf_of(client, "/review/ko")
    client.post("/review/ko/palogget", data={"csrf_token": token, "online": "ja"})
    with session_factory(settings.database_url).begin() as db:
        assert handover.anyone_online(session=db)
    assert client.post("/review/ko/palogget", data={"online": "nei"}).status_code == 403  # no CSRF token


def test_taking_a_live_case_then_writing_and_handing_back(client, settings):
    handoff = queued(settings)
    logged_in_as(client, "vera")
    token = csrf_of(client, "/review/ko")

    response = client.post(f"/review/ko/{handoff}/ta", data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"].endswith(f"/ko/{handoff}/chat")
    client.post(f"/review/ko/{handoff}/ta-over", data={"csrf_token": token})
    client.post(f"/review/ko/{handoff}/skriv", data={"csrf_token": token, "text": "Hei, jeg er veileder på skolen."})
    assert client.get(f"/review/ko/{handoff}/meldinger.json").json()["lines"][-1] == {
        "author": "counsellor", "text": "Hei, jeg er veileder på skolen.", "ts": 2.0}
    client.post(f"/review/ko/{handoff}/gi-tilbake", data={"csrf_token": token})

    assert FakeTakeover.calls == [("take_over", "w-live", ""), ("say", "w-live", "Hei, jeg er veileder på skolen."),
                                  ("hand_back", "w-live", "")]
    with session_factory(settings.database_url).begin() as db:
        assert handover.queue(session=db) == []
    actions = [a for a, s in audited(settings) if s == "w-live"]
    assert actions == ["handoff_take", "takeover", "live_read", "counsellor_message", "live_read", "live_poll",
                       "hand_back"]


def test_every_read_of_live_text_is_audited_once_a_minute_while_polling(client, settings, monkeypatch):
    from datetime import timedelta

    from bot.staff import audit

    handoff = queued(settings)
    logged_in_as(client, "vera")
    token = csrf_of(client, "/review/ko")
    client.post(f"/review/ko/{handoff}/ta", data={"csrf_token": token})
    for _ in range(5):
        assert client.get(f"/review/ko/{handoff}/meldinger.json").status_code == 200
    polls = [a for a, s in audited(settings) if a == "live_poll"]
    assert len(polls) == 1  # five polls within a minute: one line, not five

    later = audit.utcnow() + timedelta(minutes=2)
    monkeypatch.setattr(audit, "utcnow", lambda: later)
    client.get(f"/review/ko/{handoff}/meldinger.json")
    assert [a for a, s in audited(settings) if a == "live_poll"] == ["live_poll", "live_poll"]


def test_the_queue_page_audits_whose_summaries_it_showed(client, settings):
    queued(settings, "w-shared", live=False)
    with session_factory(settings.database_url).begin() as db:
        code = handover.queue(session=db)[0].contact_code
    logged_in_as(client, "vera")

    client.get("/review/ko")

    with session_factory(settings.database_url).begin() as db:
        row = db.execute(select(AuditEntry.detail).where(AuditEntry.action == "queue")).scalar_one()
    assert row == f"sammendrag vist: {code}"


def test_only_the_counsellor_who_took_the_case_can_chat(client, settings):
    handoff = queued(settings)
    with session_factory(settings.database_url).begin() as db:
        handover.take(handoff, "ada", session=db)
    logged_in_as(client, "vera")

    assert client.get(f"/review/ko/{handoff}/chat").status_code == 403
    assert client.get("/review/ko/999/chat").status_code == 404
    token = csrf_of(client, "/review/ko")
    assert client.post(f"/review/ko/{handoff}/skriv", data={"csrf_token": token, "text": "hei"}).status_code == 403
    assert FakeTakeover.calls == []


def test_a_rasa_failure_is_shown_kindly_and_nothing_is_audited_as_done(client, settings):
    handoff = queued(settings)
    logged_in_as(client, "vera")
    token = csrf_of(client, "/review/ko")
    client.post(f"/review/ko/{handoff}/ta", data={"csrf_token": token})
    FakeTakeover.fail = True

    page = client.post(f"/review/ko/{handoff}/skriv", data={"csrf_token": token, "text": "hei"}).text

    assert "Fikk ikke kontakt med Veivalg-serveren" in page
    assert "counsellor_message" not in [a for a, _ in audited(settings)]


def held_by_ada_seen_by_vera(client, settings) -> tuple[int, str]:
    """A queue entry counsellor ada holds, and vera logged in with her CSRF token."""
    handoff = queued(settings)
    with session_factory(settings.database_url).begin() as db:
        handover.take(handoff, "ada", session=db)
    logged_in_as(client, "vera")
    return handoff, csrf_of(client, "/review/ko")


def test_an_entry_someone_else_holds_is_not_taken_by_a_plain_take(client, settings):
    handoff, token = held_by_ada_seen_by_vera(client, settings)

    assert client.post(f"/review/ko/{handoff}/ta", data={"csrf_token": token}).status_code == 404
    assert "Overta saken" in client.get("/review/ko").text
    response = client.post(f"/review/ko/{handoff}/overta", data={"csrf_token": token}, follow_redirects=False)

    assert response.status_code == 303
    with session_factory(settings.database_url).begin() as db:
        assert handover.queue(session=db)[0].taken_by == "vera"
    assert ("handoff_take_over_from", "w-live") in audited(settings)


def test_only_the_holder_closes_an_entry(client, settings):
    handoff, token = held_by_ada_seen_by_vera(client, settings)

    assert client.post(f"/review/ko/{handoff}/ferdig", data={"csrf_token": token}).status_code == 404
    with session_factory(settings.database_url).begin() as db:
        assert [e.id for e in handover.queue(session=db)] == [handoff]


def test_the_queue_says_which_language_and_when_to_bring_an_interpreter(client, settings):
    with session_factory(settings.database_url).begin() as db:
        handover.request_handoff("w-polish", session=db, language="pl")
        handover.request_handoff("w-english", session=db, language="en")
    logged_in_as(client, "vera")

    page = client.get("/review/ko").text
    assert "Språk: polsk: ta med tolk" in page
    assert "Språk: engelsk" in page and "Språk: engelsk: ta med tolk" not in page
