"""A person's own account page: open logins, logging out the others, changing the password."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.storage.engine import session_factory
from bot.storage.tables.audit import AuditEntry
from bot.web.review.app import mount_review
from tests.fixtures.transcripts.seed import PASSWORD, copied_settings, csrf_of, log_in, logged_in_as, review_settings

NEW_PASSWORD = "et-helt-nytt-passord-2026"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return review_settings(tmp_path_factory.mktemp("account"))


@pytest.fixture
def settings(prepared, tmp_path):
    return copied_settings(prepared, tmp_path)


@pytest.fixture
def app(settings):
    app = FastAPI()
    mount_review(app, settings)
    return app


def actions(settings) -> list[str]:
    with session_factory(settings.database_url).begin() as db:
        return list(db.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


@pytest.mark.parametrize("username", ["vera", "leif", "ada"])
def test_every_role_sees_where_it_is_logged_in(app, username):
    office, home = logged_in_as(TestClient(app), username), logged_in_as(TestClient(app), username)

    page = office.get("/review/konto")

    assert page.status_code == 200
    assert page.text.count("<tr>") == 1 + 2  # the header and two open logins
    assert "Denne nettleseren" in page.text and "Logg ut alle andre steder (1)" in page.text
    assert home.get("/review/konto").status_code == 200


def test_logging_out_the_other_places_ends_them_at_once(app, settings):
    office, home = logged_in_as(TestClient(app), "vera"), logged_in_as(TestClient(app), "vera")

    office.post("/review/konto/logg-ut-andre", data={"csrf_token": csrf_of(office, "/review/konto")})

    assert home.get("/review/samtaler", follow_redirects=False).status_code == 303  # to the login page
    assert office.get("/review/samtaler").status_code == 200
    assert "sessions_end_others" in actions(settings)
    assert office.post("/review/konto/logg-ut-andre", data={"csrf_token": "guess"}).status_code == 403


def test_a_new_password_needs_the_current_one_and_ends_every_other_login(app, settings):
    office, home = logged_in_as(TestClient(app), "vera"), logged_in_as(TestClient(app), "vera")
    token = csrf_of(office, "/review/konto")

    wrong = office.post("/review/konto/passord", data={
        "csrf_token": token, "current": "feil-passord-her", "new": NEW_PASSWORD, "again": NEW_PASSWORD})
    assert wrong.status_code == 400 and "Det nåværende passordet stemmer ikke." in wrong.text

    changed = office.post("/review/konto/passord", data={
        "csrf_token": token, "current": PASSWORD, "new": NEW_PASSWORD, "again": NEW_PASSWORD})

    assert changed.status_code == 200 and "Passordet er byttet" in changed.text
    assert home.get("/review/samtaler", follow_redirects=False).status_code == 303
    assert office.get("/review/samtaler").status_code == 200
    assert log_in(TestClient(app), "vera").status_code == 401
    assert log_in(TestClient(app), "vera", NEW_PASSWORD).status_code == 303
    assert actions(settings).count("password_change_failed") == 1 and "password_change" in actions(settings)


@pytest.mark.parametrize(
    ("new", "again", "message"),
    [
        ("kort", "kort", "minst 12 tegn"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "ikke like"),
        (PASSWORD, PASSWORD, "et annet enn det gamle"),
        ("vera", "vera", "minst 12 tegn"),
    ],
)
def test_a_weak_or_mistyped_new_password_is_refused_kindly(app, new, again, message):
    client = logged_in_as(TestClient(app), "vera")

    answer = client.post("/review/konto/passord", data={
        "csrf_token": csrf_of(client, "/review/konto"), "current": PASSWORD, "new": new, "again": again})

    assert answer.status_code == 400 and message in answer.text
    assert log_in(TestClient(app), "vera").status_code == 303  # the old password still works


def test_guessing_the_current_password_counts_as_failed_logins(app):
    client = logged_in_as(TestClient(app), "vera")
    token = csrf_of(client, "/review/konto")

    answers = [client.post("/review/konto/passord", data={
        "csrf_token": token, "current": f"gjetning-nummer-{n}", "new": NEW_PASSWORD, "again": NEW_PASSWORD})
        for n in range(6)]

    assert "For mange forsøk" in answers[-1].text
    assert log_in(TestClient(app), "vera").status_code == 429  # the username is locked for everyone
