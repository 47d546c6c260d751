"""The review app in real headless Chromium against the real web process, served by uvicorn on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Response, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bot.storage.engine import session_factory
from bot.storage.tables.ratings import Rating
from bot.web.app import create_app
from tests.browser.conftest import SCREENSHOTS, needs_chromium
from tests.fixtures.transcripts.seed import PASSWORD, review_settings, sender
from tests.web.chat.test_gateway import serve

HANDOVER = sender("handover")

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = review_settings(tmp_path_factory.mktemp("review-browser"))
    with session_factory(settings.database_url).begin() as db:
        for day, rating in ((11, 2), (12, 4), (18, 5), (19, 4), (20, 3)):
            db.add(Rating(created_at=datetime(2025, 11, day, 12, tzinfo=timezone.utc), rating=rating, knapper=""))
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO", accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert problems == [], problems  # no errors, no Content-Security-Policy violations


def _log_in(page: Page, site: str, username: str, start: str) -> None:
    """Log in through the form; a form that got no answer at all is sent once more, and reported."""
    for attempt in (1, 2):
        page.goto(f"{site}{start}")
        expect(page.get_by_role("heading", name="Logg inn")).to_be_visible()
        page.get_by_label("Brukernavn").fill(username)
        page.get_by_label("Passord").fill(PASSWORD)
        expect(page.get_by_label("Passord")).to_have_value(PASSWORD)
        # An argon2 check takes a while on a busy machine: wait for the answer to the form, not a fixed time,
        # and say what came back when it was not the way in (a CI run once timed out here without a clue).
        try:
            with page.expect_response(_login_post, timeout=45_000) as answer:
                page.get_by_role("button", name="Logg inn").click()
        except PlaywrightTimeout:
            print(f"login attempt {attempt}: no answer to the form in 45 s; page was {page.url}:\n"
                  f"{page.content()[:2000]}")
            if attempt == 2:
                raise
            continue
        response = answer.value
        assert response.status == 303, f"login answered {response.status}: {response.text()[:2000]}"
        page.wait_for_url(lambda url: "/login" not in url, timeout=60_000)
        return


def _login_post(response: Response) -> bool:
    return response.request.method == "POST" and response.url.split("?")[0].endswith("/review/login")


def test_a_counsellor_finds_reads_annotates_and_exports_a_conversation(page: Page, site: str, tmp_path: Path):
    _log_in(page, site, "vera", "/review/samtaler")
    expect(page.get_by_role("heading", name="Lagrede samtaler")).to_be_visible()
    expect(page.get_by_role("heading", name="5 samtaler")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "review_list.png"), full_page=True)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Hopp til innholdet")).to_be_focused()

    page.get_by_label("Søk i meldingene").fill("tømrer")
    page.get_by_label("Ba om veileder").select_option("ja")
    page.get_by_role("button", name="Vis samtaler").click()
    expect(page.get_by_role("heading", name="1 samtale")).to_be_visible()
    page.get_by_role("link", name=f"Les samtalen {HANDOVER}").click()

    expect(page.get_by_role("heading", name=f"Samtale {HANDOVER}")).to_be_visible()
    counsellor = page.locator(".turn.counsellor").first
    expect(counsellor).to_contain_text("Karriereveileder")
    expect(counsellor).to_contain_text("person")
    expect(page.locator(".turn.system", has_text="Samtalen satt på pause (veileder tok over)")).to_be_visible()
    expect(page.locator(".turn.user", has_text="kan jeg snakke med et menneske")).to_contain_text("request_human")

    page.get_by_label("Nytt notat").fill("Ønsker fagbrev som tømrer. Snakke med skolen før løslatelse.")
    page.get_by_role("button", name="Lagre notatet").click()
    expect(page.get_by_role("status")).to_have_text("Notatet er lagret.")
    expect(page.locator(".note")).to_contain_text("Ønsker fagbrev som tømrer.")
    page.get_by_label("Nytt merke").fill("fagbrev")
    page.get_by_role("button", name="Legg til").click()
    page.get_by_role("button", name="Merk som gjennomgått").click()
    expect(page.locator("#oppfolging strong.status")).to_have_text("Gjennomgått")
    page.screenshot(path=str(SCREENSHOTS / "review_transcript.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned som JSON").click()
    assert download.value.suggested_filename == f"samtale-{HANDOVER}.json"
    saved = tmp_path / "export.json"
    download.value.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["summary"]["sender_id"] == HANDOVER and data["summary"]["handover_requested"] is True
    assert data["notes"][0]["text"].startswith("Ønsker fagbrev som tømrer.")
    assert data["tags"] == ["fagbrev"] and data["review_status"] == "reviewed"

    page.get_by_role("link", name="Samtaler", exact=True).click()
    page.get_by_label("Status").select_option("reviewed")
    page.get_by_role("button", name="Vis samtaler").click()
    expect(page.get_by_role("heading", name="1 samtale")).to_be_visible()


def test_a_leader_sees_the_quality_figures_without_any_message(page: Page, site: str):
    _log_in(page, site, "leif", "/review/")
    expect(page.get_by_role("heading", name="Kvalitet", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Samtaler", exact=True)).to_have_count(0)
    page.wait_for_load_state("load")
    images = page.locator("figure img")
    expect(images).to_have_count(5)
    for index in range(5):
        image = images.nth(index)
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
        assert "Tallene står i tabellen under" in (image.get_attribute("alt") or "")
    text = page.locator("main").inner_text()
    for written in ("tømrer", "sveiser", "datteren", "permisjon", "[telefon]", "Hei, jeg heter"):
        assert written not in text
    page.screenshot(path=str(SCREENSHOTS / "review_dashboard.png"), full_page=True)
    refused = page.request.get(f"{site}/review/samtaler/{HANDOVER}")  # with the leader's cookie
    assert refused.status == 403 and "Ingen tilgang" in refused.text() and "tømrer" not in refused.text()
