from __future__ import annotations

import csv
import io
import json
import re
import time
from base64 import b64encode
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select, update

from bot.clock import utcnow
from bot.staff import accounts
from bot.storage.engine import session_factory
from bot.storage.rasa_events import events
from bot.storage.tables.accounts import LoginThrottle, ReviewSession
from bot.storage.tables.audit import AuditEntry
from bot.storage.tables.notes import Note
from bot.web.review import conversations as routes
from bot.web.review.app import mount_review
from bot.web.review.security import SESSION_COOKIE
from tests.fixtures.transcripts.seed import (
    PASSWORD,
    copied_settings,
    csrf_of,
    log_in,
    logged_in_as,
    review_settings,
    sender,
)

KNAPP_DONE, HANDOVER, CRISIS = sender("knapp_done"), sender("handover"), sender("crisis")
FALLBACKS, TRANSITION = sender("fallbacks"), sender("transition_unfinished")
ALL = {KNAPP_DONE, HANDOVER, CRISIS, FALLBACKS, TRANSITION}
# Words users or counsellors wrote; none may reach a leader.
MESSAGE_TEXT = ("datteren min", "sveiser", "tømrer", "[telefon]", "permisjon til jul", "Hei, jeg heter", "orker ikke")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """Seeded databases and three users, made once (password hashing is slow on purpose)."""
    return review_settings(tmp_path_factory.mktemp("review"))


@pytest.fixture
def settings(prepared, tmp_path):
    return copied_settings(prepared, tmp_path)


@pytest.fixture
def client(settings):
    app = FastAPI()
    mount_review(app, settings)
    return TestClient(app)


def _audit(settings, **where) -> list[tuple]:
    with session_factory(settings.database_url).begin() as db:
        query = select(AuditEntry.username, AuditEntry.action, AuditEntry.sender_id).order_by(AuditEntry.id)
        for key, value in where.items():
            query = query.where(getattr(AuditEntry, key) == value)
        return [tuple(row) for row in db.execute(query)]


def _user_id(db, username: str) -> int:
    user = accounts.find_user(username, session=db)
    assert user is not None
    return int(user.id)


def _post(client: TestClient, path: str, data: dict[str, str], token: bool = True):
    form = dict(data)
    if token:
        form["csrf_token"] = csrf_of(client, "/review/samtaler")
    return client.post(path, data=form, follow_redirects=False)


# ---------------------------------------------------------------- login and sessions


@pytest.mark.parametrize(
    "path",
    ["/review/", "/review/samtaler", f"/review/samtaler/{KNAPP_DONE}", f"/review/samtaler/{KNAPP_DONE}/utskrift",
     f"/review/samtaler/{KNAPP_DONE}/slett", "/review/kvalitet", "/review/brukere", "/review/logg"],
)
def test_no_page_without_login(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/review/login")


@pytest.mark.parametrize(
    "path",
    [f"/review/samtaler/{KNAPP_DONE}/eksport.json", f"/review/samtaler/{KNAPP_DONE}/eksport.csv",
     "/review/kvalitet/samtaler.png"],
)
def test_no_export_or_chart_without_login(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 401
    assert "sveiser" not in response.text


def test_a_post_without_login_changes_nothing(client, settings):
    response = client.post(f"/review/samtaler/{KNAPP_DONE}/notater", data={"text": "x"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/review/login")
    with session_factory(settings.database_url).begin() as db:
        assert db.execute(select(func.count(Note.id))).scalar_one() == 0


def test_login_takes_each_role_to_its_start_page(client, settings):
    response = log_in(client, "vera")
    assert response.status_code == 303 and response.headers["location"] == "/review/samtaler"
    page = client.get("/review/samtaler").text
    assert "Vera" not in page and 'href="/review/konto">vera</a> · Karriereveileder' in page
    leader = TestClient(client.app)
    assert log_in(leader, "LEIF ").headers["location"] == "/review/kvalitet"
    assert ("vera", "login", None) in _audit(settings) and ("leif", "login", None) in _audit(settings)
    cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "path=/review" in cookie.lower() and "max-age=28800" in cookie.lower()


def test_wrong_password_and_unknown_user_get_the_same_answer(client, settings):
    wrong = log_in(client, "vera", "feil-passord-123456")
    unknown = log_in(client, "ingen", "feil-passord-123456")
    assert wrong.status_code == unknown.status_code == 401
    message = re.compile(r'<p class="error"[^>]*>([^<]+)</p>')
    expected = ["Feil brukernavn eller passord. Prøv igjen."]
    assert message.findall(wrong.text) == message.findall(unknown.text) == expected
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303
    assert _audit(settings, action="login_failed") == [("vera", "login_failed", None), ("ingen", "login_failed", None)]


def _pause_passes(settings) -> None:
    """The few seconds' pause after a failed login have gone by."""
    with session_factory(settings.database_url).begin() as db:
        db.execute(update(LoginThrottle).values(wait_until=None))


def test_five_failures_lock_the_username_for_fifteen_minutes(client, settings):
    answers = []
    for n in range(5):
        answers.append(log_in(client, "vera", f"feil-{n}-passord-xyz").status_code)
        _pause_passes(settings)
    assert answers == [401, 401, 401, 401, 429]
    locked = log_in(client, "vera")  # the right password does not help while locked
    assert locked.status_code == 429 and "For mange forsøk. Vent 15 minutter" in locked.text
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303
    # an unknown username locks the same way, with the same words
    for n in range(5):
        last = log_in(client, "ukjent", f"feil-{n}-passord-xyz")
        _pause_passes(settings)
    assert last.status_code == 429 and "For mange forsøk. Vent 15 minutter" in last.text
    assert [a for _, a, _ in _audit(settings, username="vera")] == ["login_failed"] * 4 + ["login_locked"] * 2
    with session_factory(settings.database_url).begin() as db:
        db.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
    assert log_in(client, "vera").status_code == 303


def test_a_quick_second_try_after_two_failures_is_asked_to_wait(client, settings):
    assert [log_in(client, "vera", f"feil-{n}-passord-xyz").status_code for n in range(2)] == [401, 401]

    hurried = log_in(client, "vera")  # within a second: not checked, even with the right password

    assert hurried.status_code == 429 and "Vent noen sekunder, og prøv igjen." in hurried.text
    assert [a for _, a, _ in _audit(settings, username="vera")] == ["login_failed"] * 2 + ["login_wait"]
    _pause_passes(settings)
    assert log_in(client, "vera").status_code == 303


def test_a_forged_or_tampered_cookie_is_not_a_login(client, settings):
    client.cookies.set(SESSION_COOKIE, "eyJ1aWQiOiAxfQ==.forged.signature", path="/review")
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303


def _session_cookie(secret: str, data: dict) -> str:
    return TimestampSigner(secret).sign(b64encode(json.dumps(data).encode())).decode()


def test_a_signed_cookie_without_a_session_on_the_server_is_not_a_login(client, settings):
    with session_factory(settings.database_url).begin() as db:
        uid = _user_id(db, "vera")
    fresh = {"uid": uid, "user": "vera", "role": "counsellor", "login_at": int(time.time()), "sid": "x" * 43}
    client.cookies.set(SESSION_COOKIE, _session_cookie(settings.secret_key, fresh), path="/review")
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303


def _age_sessions(settings, **ago: timedelta) -> None:
    with session_factory(settings.database_url).begin() as db:
        values = {column: utcnow() - delta for column, delta in ago.items()}
        db.execute(update(ReviewSession).values(**values))


@pytest.mark.parametrize("ago", [{"last_seen_at": timedelta(minutes=31)},
                                 {"created_at": timedelta(hours=8, minutes=1)}], ids=["idle", "eight hours"])
def test_a_session_idle_for_half_an_hour_or_eight_hours_old_has_ended(client, settings, ago):
    logged_in_as(client, "vera")
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 200

    _age_sessions(settings, **ago)

    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303


def test_logout_ends_the_session(client, settings):
    logged_in_as(client, "vera")
    copied = client.cookies.get(SESSION_COOKIE)
    response = _post(client, "/review/logout", {})
    assert response.status_code == 303 and response.headers["location"] == "/review/login"
    assert "Du er logget ut." in client.get("/review/login").text
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303
    assert ("vera", "logout", None) in _audit(settings)

    thief = TestClient(client.app)
    thief.cookies.set(SESSION_COOKIE, copied, path="/review")
    assert thief.get("/review/samtaler", follow_redirects=False).status_code == 303, "a copied cookie opens nothing"


def test_each_login_gets_a_new_session_id(client):
    logged_in_as(client, "vera")
    first = client.cookies.get(SESSION_COOKIE)
    logged_in_as(TestClient(client.app), "vera")
    client.cookies.clear()
    logged_in_as(client, "vera")
    assert client.cookies.get(SESSION_COOKIE) != first


def test_after_login_only_a_path_inside_the_app_is_followed(client):
    target = f"/review/samtaler/{CRISIS}"
    assert log_in(client, "vera", neste=target).headers["location"] == target
    other = TestClient(client.app)
    for target in ("https://example.org/", "//example.org/review/", "/chat"):
        assert log_in(other, "vera", neste=target).headers["location"] == "/review/samtaler"


def test_a_disabled_user_is_logged_out_at_once(client, settings):
    logged_in_as(client, "vera")
    with session_factory(settings.database_url).begin() as db:
        accounts.set_active(_user_id(db, "vera"), False, session=db)
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303
    assert log_in(client, "vera").status_code == 401


# ---------------------------------------------------------------- CSRF


def test_a_post_without_or_with_a_wrong_csrf_token_is_refused(client, settings):
    logged_in_as(client, "vera")
    path = f"/review/samtaler/{KNAPP_DONE}/notater"
    assert _post(client, path, {"text": "uten"}, token=False).status_code == 403
    assert _post(client, path, {"text": "feil", "csrf_token": "x" * 43}, token=False).status_code == 403
    for status_path, data in ((f"/review/samtaler/{KNAPP_DONE}/status", {"status": "reviewed"}),
                              (f"/review/samtaler/{KNAPP_DONE}/slett", {}), ("/review/logout", {})):
        assert _post(client, status_path, data, token=False).status_code == 403
    with session_factory(settings.database_url).begin() as db:
        assert db.execute(select(func.count(Note.id))).scalar_one() == 0
    assert client.get(f"/review/samtaler/{KNAPP_DONE}").status_code == 200  # still logged in, nothing deleted


def test_login_itself_needs_the_csrf_token(client):
    response = client.post("/review/login", data={"username": "vera", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403


def test_another_sessions_token_does_not_work(client, settings):
    logged_in_as(client, "vera")
    stranger = TestClient(client.app)
    logged_in_as(stranger, "ada")
    theirs = csrf_of(stranger, "/review/samtaler")
    response = client.post(
        f"/review/samtaler/{KNAPP_DONE}/notater", data={"text": "x", "csrf_token": theirs}, follow_redirects=False
    )
    assert response.status_code == 403


# ---------------------------------------------------------------- roles


def test_a_leader_cannot_open_conversations(client, settings):
    logged_in_as(client, "leif")
    for path in (f"/review/samtaler/{KNAPP_DONE}", "/review/samtaler", f"/review/samtaler/{KNAPP_DONE}/utskrift",
                 f"/review/samtaler/{KNAPP_DONE}/eksport.json", f"/review/samtaler/{KNAPP_DONE}/eksport.csv",
                 "/review/samtaler/finnes-ikke", "/review/logg", "/review/brukere"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Ingen tilgang" in response.text
        assert not any(text in response.text for text in MESSAGE_TEXT)
    assert _post(client, f"/review/samtaler/{KNAPP_DONE}/notater", {"text": "x"}).status_code == 403
    assert ("leif", "denied", None) in _audit(settings)


def test_a_leader_sees_figures_and_never_message_text(client):
    logged_in_as(client, "leif")
    page = client.get("/review/kvalitet")
    assert page.status_code == 200
    assert "<dt>Samtaler</dt><dd>5</dd>" in page.text
    assert "Spørsmål chatboten ikke forsto" not in page.text
    assert not any(text.lower() in page.text.lower() for text in MESSAGE_TEXT)
    assert 'href="/review/samtaler"' not in page.text
    for name in ("samtaler", "overlevering", "forsto-ikke", "vurderinger", "knapper"):
        chart = client.get(f"/review/kvalitet/{name}.png?fra=2025-11-01")
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
        assert chart.content.startswith(b"\x89PNG")
    assert client.get("/review/kvalitet/ukjent.png").status_code == 404


def test_the_admin_sees_the_unanswered_questions(client):
    logged_in_as(client, "ada")
    page = client.get("/review/kvalitet")
    assert "Spørsmål chatboten ikke forsto" in page.text
    assert '<td class="message">hvor mye tjener en sveiser i Bergen</td><td>2</td>' in page.text


def test_a_counsellor_cannot_read_the_audit_log_or_manage_users(client):
    logged_in_as(client, "vera")
    for path in ("/review/logg", "/review/brukere", "/review/kvalitet"):
        assert client.get(path).status_code == 403
    assert _post(client, "/review/brukere", {"username": "ny", "role": "admin", "password": PASSWORD,
                                             "password_again": PASSWORD}).status_code == 403


def test_the_admin_reads_the_audit_log_with_filters(client):
    vera = TestClient(client.app)
    logged_in_as(vera, "vera")
    vera.get(f"/review/samtaler/{CRISIS}")
    logged_in_as(client, "ada")
    page = client.get("/review/logg")
    assert page.status_code == 200 and "Leste en samtale" in page.text and CRISIS in page.text
    only = client.get("/review/logg", params={"bruker": "vera", "handling": "read"})
    assert only.text.count("<td>Leste en samtale</td>") == 1 and "Logget inn" not in only.text.split("<tbody>")[1]
    none = client.get("/review/logg", params={"samtale": "annen"})
    assert "Ingen oppføringer." in none.text


# ---------------------------------------------------------------- reading conversations


def test_a_guessed_id_is_a_plain_404_and_is_audited(client, settings):
    logged_in_as(client, "vera")
    guessed = client.get("/review/samtaler/w-00000000")
    nowhere = client.get("/review/finnes/ikke")
    assert guessed.status_code == nowhere.status_code == 404
    assert guessed.text == nowhere.text
    assert "w-00000000" not in guessed.text and "Fant ikke siden" in guessed.text
    for path in ("eksport.json", "eksport.csv", "utskrift", "slett"):
        assert client.get(f"/review/samtaler/w-00000000/{path}").status_code == 404
    assert _post(client, "/review/samtaler/w-00000000/notater", {"text": "hei"}).status_code == 404
    assert _audit(settings, action="not_found") == [("vera", "not_found", "w-00000000")] * 6


def test_every_read_is_audited(client, settings):
    logged_in_as(client, "vera")
    for path in ("", "/eksport.json", "/eksport.csv", "/utskrift"):
        assert client.get(f"/review/samtaler/{HANDOVER}{path}").status_code == 200
    assert _audit(settings, sender_id=HANDOVER) == [
        ("vera", "read", HANDOVER), ("vera", "export_json", HANDOVER), ("vera", "export_csv", HANDOVER),
        ("vera", "print", HANDOVER),
    ]
    client.get("/review/samtaler", params={"sok": "tømrer"})
    assert ("vera", "list", None) in _audit(settings, action="list")


def test_the_transcript_page_shows_the_chat(client):
    logged_in_as(client, "vera")
    page = client.get(f"/review/samtaler/{HANDOVER}").text
    assert '<li class="turn user">' in page and '<li class="turn counsellor">' in page
    assert 'Karriereveileder <span class="person">person</span>' in page
    assert "Hei, jeg heter [navn] og er karriereveileder her. Hva lurer du på?" in page
    assert "Samtalen satt på pause (veileder tok over)" in page
    assert "Tolket som <code>request_human</code>, sikkerhet 0,93." in page
    done = client.get(f"/review/samtaler/{KNAPP_DONE}").text
    assert "Knapp: Meg i kontekst startet" in done and "Knapp: Meg i kontekst fullført" in done
    assert "<p>Neste steg: spørre skolen om fagbrev som bilmekaniker</p>" in done
    assert "tirsdag 18. november 2025" in done and "10.00" in done  # Norwegian time (UTC+1)
    missed = client.get(f"/review/samtaler/{FALLBACKS}").text
    assert missed.count('<strong class="badge missed">Chatboten forsto ikke</strong>') == 3
    assert '<strong class="badge low">Usikker tolkning</strong>' in missed


def test_the_page_escapes_what_users_wrote(client, settings):
    from tests.fixtures.transcripts.seed import seed

    seed(settings.tracker_store_url, (), extra=[("xss", [
        {"event": "user", "timestamp": 1763500000.0, "text": "<script>alert(1)</script>",
         "parse_data": {"intent": {"name": "out_of_scope", "confidence": 0.9}}, "input_channel": "rest"},
    ])])
    logged_in_as(client, "vera")
    page = client.get("/review/samtaler/xss")
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    headers = page.headers
    assert "script-src 'self'" in headers["content-security-policy"] and headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY" and headers["referrer-policy"] == "no-referrer"


def _listed(page: str) -> set[str]:
    return set(re.findall(r'href="/review/samtaler/([^"/]+)"', page)) & (ALL | {"xss"})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL),
        ({"sok": "Sveiser"}, {FALLBACKS}),
        ({"sok": "tømrer", "kanal": "rest"}, {HANDOVER}),
        ({"kanal": "widget"}, {KNAPP_DONE, CRISIS}),
        ({"knapp": "self_in_context"}, {KNAPP_DONE}),
        ({"veileder": "ja"}, {HANDOVER}),
        ({"haster": "ja"}, {CRISIS}),
        ({"forsto_ikke": "ja"}, {FALLBACKS}),
        ({"usikker": "nei"}, {HANDOVER}),
        ({"vurdering": "5"}, {KNAPP_DONE}),
        ({"fra": "2025-11-19", "til": "2025-11-30"}, {HANDOVER, CRISIS}),
        ({"fra": "ikke-en-dato"}, ALL),
        ({"status": "new"}, ALL),
        ({"status": "reviewed"}, set()),
    ],
)
def test_the_list_filters_and_searches(client, params, expected):
    logged_in_as(client, "vera")
    page = client.get("/review/samtaler", params=params)
    assert page.status_code == 200
    assert _listed(page.text) == expected


def test_the_list_is_paginated(client, monkeypatch):
    monkeypatch.setattr(routes, "PAGE_SIZE", 2)
    logged_in_as(client, "vera")
    first = client.get("/review/samtaler", params={"kanal": ""}).text
    assert _listed(first) == {CRISIS, HANDOVER} and "Side 1 av 3" in first
    assert 'href="?side=2" rel="next"' in first
    last = client.get("/review/samtaler", params={"side": "3"}).text
    assert _listed(last) == {TRANSITION} and 'rel="next"' not in last
    assert _listed(client.get("/review/samtaler", params={"side": "99"}).text) == {TRANSITION}
    filtered = client.get("/review/samtaler", params={"kanal": "rest"}).text
    assert 'href="?kanal=rest&amp;side=2" rel="next"' in filtered


# ---------------------------------------------------------------- notes, tags and status


def test_notes_tags_and_review_status(client, settings):
    logged_in_as(client, "vera")
    base = f"/review/samtaler/{FALLBACKS}"
    saved = _post(client, f"{base}/notater", {"text": "Følg opp spørsmålet om lønn.\nRing torsdag."})
    assert saved.status_code == 303 and saved.headers["location"] == f"{base}#oppfolging"
    assert _post(client, f"{base}/merker", {"tag": "  Lønn  "}).status_code == 303
    assert _post(client, f"{base}/merker", {"tag": "oppfølging"}).status_code == 303
    assert _post(client, f"{base}/status", {"status": "reviewed"}).status_code == 303
    page = client.get(base).text
    assert "Følg opp spørsmålet om lønn.\nRing torsdag." in page and "vera, " in page
    assert '<span class="tag">lønn</span>' in page and '<span class="tag">oppfølging</span>' in page
    assert '<strong class="status status-reviewed">Gjennomgått</strong>' in page
    assert _listed(client.get("/review/samtaler", params={"merke": "lønn"}).text) == {FALLBACKS}
    assert _listed(client.get("/review/samtaler", params={"status": "reviewed"}).text) == {FALLBACKS}
    assert _listed(client.get("/review/samtaler", params={"status": "new"}).text) == ALL - {FALLBACKS}
    assert _post(client, f"{base}/merker/fjern", {"tag": "lønn"}).status_code == 303
    assert _post(client, f"{base}/status", {"status": "follow_up"}).status_code == 303
    page = client.get(base).text
    assert '<span class="tag">lønn</span>' not in page and "Følges opp" in page
    assert [a for _, a, s in _audit(settings, sender_id=FALLBACKS) if a != "read"] == [
        "note", "tag_add", "tag_add", "status", "tag_remove", "status"
    ]


def test_an_empty_note_or_a_bad_tag_is_explained_and_not_saved(client, settings):
    logged_in_as(client, "vera")
    base = f"/review/samtaler/{FALLBACKS}"
    _post(client, f"{base}/notater", {"text": "   "})
    assert "Notatet er tomt. Skriv noe før du lagrer." in client.get(base).text
    _post(client, f"{base}/merker", {"tag": "<b>"})
    assert "Et merke kan ha 1–40 tegn" in client.get(base).text
    with session_factory(settings.database_url).begin() as db:
        assert db.execute(select(func.count(Note.id))).scalar_one() == 0


# ---------------------------------------------------------------- export, print, delete


def test_export_json_has_the_transcript_and_the_follow_up(client):
    logged_in_as(client, "vera")
    _post(client, f"/review/samtaler/{KNAPP_DONE}/notater", {"text": "Snakk om fagbrev"})
    _post(client, f"/review/samtaler/{KNAPP_DONE}/merker", {"tag": "fagbrev"})
    response = client.get(f"/review/samtaler/{KNAPP_DONE}/eksport.json")
    assert response.headers["content-disposition"] == f'attachment; filename="samtale-{KNAPP_DONE}.json"'
    data = response.json()
    assert data["summary"]["sender_id"] == KNAPP_DONE and data["summary"]["rating"] == 5
    assert data["turns"][0]["text"] == "hei" and data["turns"][0]["intent"] == "greet"
    assert "Neste steg: spørre skolen om fagbrev som bilmekaniker" in data["plan"]
    assert [n["text"] for n in data["notes"]] == ["Snakk om fagbrev"] and data["tags"] == ["fagbrev"]
    assert data["review_status"] == "new"


def test_export_csv_opens_in_a_spreadsheet(client):
    logged_in_as(client, "vera")
    response = client.get(f"/review/samtaler/{HANDOVER}/eksport.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="samtale-{HANDOVER}.csv"'
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["tidspunkt", "hvem", "tekst", "intensjon", "sikkerhet", "knapper", "merknad"]
    assert ["veileder", "Det kan vi se på sammen. Jeg setter opp en time med deg på torsdag."] in [r[1:3] for r in rows]


def test_the_printable_page_stands_alone(client):
    logged_in_as(client, "vera")
    page = client.get(f"/review/samtaler/{KNAPP_DONE}/utskrift").text
    assert "print.css" in page and "Hovedmeny" not in page
    assert "å være der for datteren min når jeg kommer ut" in page and "Skrevet ut" in page


def test_deleting_asks_first_then_removes_everything_but_the_audit_trail(client, settings):
    logged_in_as(client, "vera")
    base = f"/review/samtaler/{CRISIS}"
    _post(client, f"{base}/notater", {"text": "Ringte helsetjenesten."})
    _post(client, f"{base}/merker", {"tag": "krise"})
    confirm = client.get(f"{base}/slett")
    assert confirm.status_code == 200 and "Ja, slett samtalen" in confirm.text and "kan ikke angres" in confirm.text
    assert client.get(base).status_code == 200  # asking did not delete
    done = _post(client, f"{base}/slett", {})
    assert done.status_code == 303 and done.headers["location"] == "/review/samtaler"
    assert "Samtalen er slettet." in client.get("/review/samtaler").text
    assert client.get(base).status_code == 404
    with session_factory(settings.tracker_store_url).begin() as db:
        count = select(func.count()).select_from(events)
        assert db.execute(count.where(events.c.sender_id == CRISIS)).scalar_one() == 0
        assert db.execute(count).scalar_one() > 0  # the others are still there
    with session_factory(settings.database_url).begin() as db:
        assert db.execute(select(func.count(Note.id))).scalar_one() == 0
    actions = [a for _, a, _ in _audit(settings, sender_id=CRISIS)]
    assert actions == ["note", "tag_add", "read", "delete", "not_found"]


# ---------------------------------------------------------------- users


def test_the_admin_creates_and_disables_users(client, settings):
    logged_in_as(client, "ada")
    created = _post(client, "/review/brukere", {"username": "Nora.V", "role": "counsellor", "password": PASSWORD,
                                                "password_again": PASSWORD})
    assert created.status_code == 303 and "Brukeren «nora.v» er opprettet." in client.get("/review/brukere").text
    nora = TestClient(client.app)
    logged_in_as(nora, "nora.v")
    twice = _post(client, "/review/brukere", {"username": "nora.v", "role": "leader", "password": PASSWORD,
                                              "password_again": PASSWORD})
    assert twice.status_code == 400 and "Det finnes allerede en bruker med dette brukernavnet." in twice.text
    short = _post(client, "/review/brukere", {"username": "kort", "role": "leader", "password": "kort",
                                              "password_again": "kort"})
    assert short.status_code == 400 and "Passordet må ha minst 12 tegn." in short.text
    with session_factory(settings.database_url).begin() as db:
        nora_id, ada_id = _user_id(db, "nora.v"), _user_id(db, "ada")
    assert _post(client, f"/review/brukere/{nora_id}/aktiv", {"active": "nei"}).status_code == 303
    assert nora.get("/review/samtaler", follow_redirects=False).status_code == 303
    _post(client, f"/review/brukere/{ada_id}/aktiv", {"active": "nei"})
    assert "Du kan ikke stenge din egen tilgang." in client.get("/review/brukere").text
    assert [a for _, a, _ in _audit(settings, username="ada") if a.startswith("user_")] == [
        "user_create", "user_disable"
    ]


def test_the_web_process_serves_the_review_app(settings):
    from bot.web.app import create_app

    client = TestClient(create_app(settings))
    assert client.get("/review/login").status_code == 200
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 303
    assert client.get("/review/static/review.css").headers["content-type"].startswith("text/css")


def test_a_search_for_a_name_or_number_is_audited_without_it(client, settings):
    logged_in_as(client, "vera")
    assert client.get("/review/samtaler", params={"sok": "Ola Nordmann 912 34 567"}).status_code == 200

    with session_factory(settings.database_url).begin() as db:
        details = [d for (d,) in db.execute(select(AuditEntry.detail).where(AuditEntry.action == "list"))]
    assert details and not any("Nordmann" in (d or "") or "912" in (d or "") for d in details), details


def test_what_a_form_promises_is_committed_before_the_answer_leaves(settings):
    """The browser follows a login's redirect at once: the session must be in the database by then (CI once lost it)."""
    app = FastAPI()
    mount_review(app, settings)
    sessions_when_answered: list[int] = []

    async def watching(scope, receive, send):
        async def send_and_look(message):
            if message["type"] == "http.response.start" and scope.get("method") == "POST":
                with session_factory(settings.database_url).begin() as db:
                    sessions_when_answered.append(db.scalar(select(func.count()).select_from(ReviewSession)))
            await send(message)

        await app(scope, receive, send_and_look)

    client = TestClient(watching)
    assert log_in(client, "vera").status_code == 303
    assert sessions_when_answered == [1]
    assert client.get("/review/samtaler", follow_redirects=False).status_code == 200
