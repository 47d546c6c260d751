"""The real thing: `veivalg run` starts the action server and Rasa on free ports; we talk over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.paths import PROJECT_ROOT
from tests.browser.conftest import ARGS, CHROMIUM, SCREENSHOTS, needs_chromium

MODEL = PROJECT_ROOT / "models" / "veivalg.tar.gz"
STARTUP_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Running:
    url: str
    rasa_port: int
    actions_port: int
    log_dir: Path
    process: subprocess.Popen[str]
    output: list[str]
    web_port: int = 0
    env: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        """What the web process sends: the REST channel answers nobody else."""
        from bot.settings import CHANNEL_SECRET_HEADER, load_settings

        return {CHANNEL_SECRET_HEADER: load_settings(self.env).channel_secret}

    @property
    def api_token(self) -> str:
        from bot.settings import load_settings

        return load_settings(self.env).rasa_api_token

    @property
    def web(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def post(self, sender: str, message: Any) -> requests.Response:
        return requests.post(self.url, json={"sender": sender, "message": message}, headers=self.headers, timeout=60)

    def texts(self, sender: str, message: Any) -> list[str]:
        response = self.post(sender, message)
        assert response.status_code == 200, response.text
        return [m.get("text", "") for m in response.json()]

    def actions_ready(self) -> bool:
        try:
            return requests.get(f"http://127.0.0.1:{self.actions_port}/health", timeout=2).ok
        except requests.RequestException:
            return False


@pytest.fixture(scope="module")
def veivalg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    assert MODEL.is_file(), "No trained model: run `make setup` first"
    tmp = tmp_path_factory.mktemp("veivalg-run")
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    env = dict(os.environ)
    env.update(
        {
            "VEIVALG_RASA_PORT": str(rasa_port),
            "VEIVALG_ACTIONS_PORT": str(actions_port),
            "VEIVALG_WEB_PORT": str(web_port),
            "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{tmp / 'tracker.db'}",
            "VEIVALG_LOG_DIR": str(tmp / "log"),
            "VEIVALG_RETENTION_DAYS": "45",
            "VEIVALG_SECRET_KEY": "integration-" + "s" * 40,
            "VEIVALG_DATABASE_URL": f"sqlite:///{tmp / 'veivalg.db'}",
        }
    )
    subprocess.run([sys.executable, "-m", "bot.ops.cli", "catalogue", "load"], cwd=PROJECT_ROOT, env=env, check=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.cli", "run"], cwd=PROJECT_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line.rstrip())
        if "Veivalg svarer på" in line:
            break
    else:
        process.kill()
    assert any("Veivalg svarer på" in line for line in output), "\n".join(output)
    running = Running(
        f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook", rasa_port, actions_port,
        tmp / "log", process, output, web_port, env,
    )
    yield running
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


def test_greeting_in_norwegian_with_settings_from_the_actions(veivalg: Running):
    texts = veivalg.texts("x", "hei")

    assert "Jeg er en chatbot, ikke et menneske" in texts[0]
    assert "samtalen i 45 dager" in texts[1]  # retention_days set by action_session_start
    assert texts[2] == "Vil du at jeg tar vare på samtalen, så veilederen din kan se den?"


def stored_events(veivalg: Running, sender: str) -> int:
    import sqlite3

    with sqlite3.connect(veivalg.log_dir.parent / "tracker.db") as connection:
        return int(connection.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0])


def test_a_declined_conversation_leaves_nothing_in_the_database(veivalg: Running):
    veivalg.texts("declines", "hei")
    texts = veivalg.texts("declines", "2")  # 2) Nei, ikke lagre noe
    assert texts[0].startswith("Greit. Veivalg lagrer ikke samtalen.")
    veivalg.texts("declines", "hva gjør en tømrer")

    assert stored_events(veivalg, "declines") == 0


def test_a_consented_conversation_is_kept(veivalg: Running):
    veivalg.texts("agrees", "hei")
    texts = veivalg.texts("agrees", "1")  # 1) Ja, ta vare på den
    assert texts[0].startswith("Takk. Samtalen tas vare på")

    assert stored_events(veivalg, "agrees") > 5


def test_a_typed_number_picks_the_button(veivalg: Running):
    veivalg.texts("number-user", "hei")
    veivalg.texts("number-user", "2")  # 2) Nei, ikke lagre noe: then the menu

    texts = veivalg.texts("number-user", "8")  # 8) Snakk med en veileder

    assert "karriereveilederen på skolen i fengselet" in texts[0]


def test_the_servers_bind_to_loopback_only(veivalg: Running):
    for port in (veivalg.rasa_port, veivalg.web_port):
        listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
        local = [line.split()[1] for line in listening if line.split()[3] == "0A"]
        assert f"0100007F:{port:04X}" in local, f"port {port} is not bound to 127.0.0.1"
        assert f"00000000:{port:04X}" not in local, f"port {port} is bound to every interface"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("", "Jeg fikk ingen tekst"),
        ("   \n ", "Jeg fikk ingen tekst"),
        ("x" * 10_000, "Meldingen din var veldig lang"),
        ("ø" * 10_000, "Meldingen din var veldig lang"),
    ],
)
def test_empty_and_huge_messages_get_a_kind_answer(veivalg: Running, message: str, expected: str):
    texts = veivalg.texts("bad-input", message)

    assert texts and expected in texts[0]


@pytest.mark.parametrize("message", ["😀😀😀", "🙏", "????", "asdfghjkl qwerty", "Wie spät ist es?"])
def test_odd_messages_get_an_answer(veivalg: Running, message: str):
    texts = veivalg.texts("odd-input", message)

    assert texts and all(texts)


def test_a_long_but_readable_message_is_understood(veivalg: Running):
    long_text = "Jeg lurer på hvordan jeg kan bli elektriker når jeg kommer ut. " * 40

    assert veivalg.texts("long-input", long_text)


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00\x13garbage",
        b"not json at all",
        b"[]",
        b'{"message": "hei"}',
        b'{"sender": "x"}',
        b'{"sender": "x", "message": {"text": "hei"}}',
        b'{"sender": "../../etc/passwd", "message": "hei"}',
    ],
)
def test_malformed_requests_get_a_clean_400(veivalg: Running, body: bytes):
    response = requests.post(veivalg.url, data=body, headers={"Content-Type": "application/json", **veivalg.headers},
                             timeout=30)

    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("secret", [None, "", "guess"])
def test_the_rest_channel_answers_no_one_without_the_web_process_secret(veivalg: Running, secret: str | None):
    from bot.settings import CHANNEL_SECRET_HEADER

    headers = {} if secret is None else {CHANNEL_SECRET_HEADER: secret}
    response = requests.post(veivalg.url, json={"sender": "stranger", "message": "hei"}, headers=headers, timeout=30)

    assert response.status_code == 401
    assert response.json() == {"error": "Ingen tilgang. Bare Veivalgs nettside (eller et program med Veivalgs "
                                        "nøkkel) kan sende meldinger hit."}
    tracker = requests.get(f"http://127.0.0.1:{veivalg.rasa_port}/conversations/stranger/tracker",
                           params={"token": veivalg.api_token}, timeout=30).json()
    assert tracker["events"] in ([], None) or not any(e["event"] == "user" for e in tracker["events"])


def test_the_terminal_client_selects_buttons_by_number_through_the_gateway(veivalg: Running, tmp_path: Path):
    import pexpect

    env = {**veivalg.env, "HOME": str(tmp_path), "TERM": "dumb", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    child = pexpect.spawn(
        sys.executable, ["-m", "bot.ops.cli", "chat", "--plain", "--server", veivalg.web], env=env,
        cwd=str(PROJECT_ROOT), dimensions=(24, 80), encoding="utf-8", timeout=60,
    )
    for typed, expected in [
        ("hei", "Vil du at jeg tar vare på samtalen"),
        ("2", "1) En overgang som kommer"),  # 2) Nei, ikke lagre noe: then the menu
        ("7", "Hvilket yrke lurer du på?"),  # 7) Yrker og utdanning
        ("rorleggar", "En rørlegger"),
        ("1", "Veien til rørlegger:"),
    ]:
        child.expect_exact("> ")
        child.sendline(typed)
        child.expect_exact(expected)
    child.expect_exact("> ")
    child.sendline("/avslutt")
    child.expect_exact("Ha det bra!")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert list(tmp_path.iterdir()) == [], "the terminal client wrote files"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("hva gjør en snekker", "En tømrer bygger"),
        ("hvordan blir jeg elektrikar", "Veien til elektriker:"),
        ("kan jeg bli vekter med dom", "Vaktvirksomhetsloven § 8"),
        ("hva gjør en astronaut", "Jeg finner ikke «astronaut»"),
    ],
)
def test_occupation_questions_are_answered_from_the_catalogue(veivalg: Running, question: str, expected: str):
    texts = veivalg.texts(f"occupation-{abs(hash(question))}", question)

    assert any(expected in text for text in texts), texts
    # The margin, so that another CPU's model cannot tip the answer: either the question's shape decided
    # (bot/rasa_adapter/occupation_first.py, whatever the model said) or the model is far above the
    # fallback threshold (0.45 in config.yml).
    parse = requests.post(f"http://127.0.0.1:{veivalg.rasa_port}/model/parse", params={"token": veivalg.api_token},
                          json={"text": question}, timeout=60).json()
    assert parse["intent"]["name"] in ("ask_occupation_info", "ask_education_path", "ask_politiattest")
    assert "occupation_question_shape" in parse or parse["intent"]["confidence"] >= 0.45 + 0.2, parse["intent"]


def test_the_interest_test_end_to_end_with_typed_numbers(veivalg: Running):
    texts = veivalg.texts("interest-user", "hvilke jobber passer for meg")
    assert texts[1] == "Setning 1 av 12."

    for number in range(12):
        texts = veivalg.texts("interest-user", "1" if number % 2 == 0 else "3")  # 1) Passer godt, 3) Passer ikke

    assert texts[0].startswith("Du liker best å")
    assert "for deg som liker å" in texts[1]


def test_a_possible_sign_in_a_knapp_answered_no_asks_the_same_question_again(veivalg: Running):
    veivalg.texts("check-no", "hei")
    veivalg.texts("check-no", "2")  # 2) Nei, ikke lagre noe: then the menu
    question = veivalg.texts("check-no", "3")[-1]  # 3) Muligheter og begrensninger: its first question

    texts = veivalg.texts("check-no", "nei, jeg orker ikke mer")  # a pattern of the «possible» level
    assert texts == [
        "Jeg vil spørre deg rett ut, fordi det er viktig: tenker du på å ta livet ditt eller skade deg selv?"]

    texts = veivalg.texts("check-no", "2")  # 2) Nei
    assert texts[-2:] == ["Da fortsetter vi der vi var.", question], "the «nei» was not taken as the knapp answer"


def test_a_crisis_on_the_web_gets_emergency_numbers_not_an_officer(veivalg: Running):
    texts = veivalg.texts("w-crisis", "jeg har spart opp pillene mine til i kveld")

    assert texts[0].startswith("Takk for at du sier det.")
    assert any("116 117" in text for text in texts) and not any("betjent" in text for text in texts)


def test_goodbye_asks_for_a_rating_and_stores_it(veivalg: Running):
    import sqlite3

    assert veivalg.texts("rater", "ha det")[0] == "Var dette nyttig?"
    assert veivalg.texts("rater", "5")[0].startswith("Vil du skrive noen ord")
    texts = veivalg.texts("rater", "1")  # 1) Nei takk

    assert texts == ["Takk for svaret. Det hjelper oss å gjøre Veivalg bedre.",
                     "Takk for praten! Lykke til videre. Du kan komme tilbake når du vil."]
    with sqlite3.connect(veivalg.log_dir.parent / "veivalg.db") as connection:
        assert connection.execute("select rating, comment from quality_ratings").fetchall() == [(5, None)]


class WidgetUser:
    """A person in the chat widget: talks to the gateway in the web process, as the browser does."""

    def __init__(self, web: str) -> None:
        self.web = web
        self.token = requests.post(f"{web}/chat/api/session", json={"client": "widget"}, timeout=30).json()["token"]
        self.seen = 0

    def say(self, text: str) -> list[dict[str, Any]]:
        body = requests.post(f"{self.web}/chat/api/message", json={"token": self.token, "text": text}, timeout=60)
        messages = body.json()["messages"]
        self.seen = max([self.seen, *(m["seq"] for m in messages)])
        return [m for m in messages if m["author"] != "user"]

    def receive(self) -> list[dict[str, Any]]:
        body = requests.get(f"{self.web}/chat/api/poll", params={"after": self.seen, "wait": 5},
                            headers={"X-Veivalg-Token": self.token}, timeout=30).json()
        self.seen = max([self.seen, *(m["seq"] for m in body["messages"])])
        return list(body["messages"])


STAFF_PASSWORD = "et-langt-passord-123"


def add_counsellor(veivalg: Running, name: str) -> None:
    subprocess.run([sys.executable, "-m", "bot.ops.cli", "users", "add", name, "--role", "counsellor",
                    "--password-stdin"], input=f"{STAFF_PASSWORD}\n", text=True, env=veivalg.env,
                   cwd=PROJECT_ROOT, check=True, capture_output=True)


def counsellor(veivalg: Running) -> requests.Session:
    """A counsellor logged in to the review app."""
    import re

    add_counsellor(veivalg, "vera")
    browser = requests.Session()
    page = browser.get(f"{veivalg.web}/review/login", timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    browser.post(f"{veivalg.web}/review/login", data={"username": "vera", "password": STAFF_PASSWORD,
                                                      "csrf_token": token}, timeout=30)
    page = browser.get(f"{veivalg.web}/review/ko", timeout=30).text  # a new token after login
    browser.headers["X-Test-Csrf"] = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return browser


def test_a_counsellor_takes_over_live_and_hands_back(veivalg: Running):
    import re

    staff = counsellor(veivalg)
    csrf = staff.headers["X-Test-Csrf"]
    staff.post(f"{veivalg.web}/review/ko/palogget", data={"csrf_token": csrf, "online": "ja"}, timeout=30)
    user = WidgetUser(veivalg.web)
    user.say("hei")
    user.say("2")  # nothing stored
    asked = user.say("jeg vil snakke med en veileder")
    assert asked[-1]["text"].startswith("Vil du at veilederen får et kort sammendrag")
    assert user.say("1")[-1]["text"] == "En veileder er pålogget nå. Vil du chatte med en person med en gang?"
    waiting = [m["text"] for m in user.say("1")]
    assert "Jeg har sagt fra. En veileder skriver til deg her snart. Du kan skrive mens du venter." in waiting
    code = re.search(r"Koden din er ([A-Z0-9-]+)\.", " ".join(waiting)).group(1)  # type: ignore[union-attr]

    queue = staff.get(f"{veivalg.web}/review/ko", timeout=30).text
    assert code in queue
    # This user's row: urgent entries from other tests (a crisis, a safety question) come first.
    handoff = re.search(rf"{code}</span>.*?/ko/(\d+)/ta\b", queue, re.S).group(1)  # type: ignore[union-attr]
    staff.post(f"{veivalg.web}/review/ko/{handoff}/ta", data={"csrf_token": csrf}, timeout=30)
    staff.post(f"{veivalg.web}/review/ko/{handoff}/ta-over", data={"csrf_token": csrf}, timeout=30)
    staff.post(f"{veivalg.web}/review/ko/{handoff}/skriv",
               data={"csrf_token": csrf, "text": "Hei, jeg er veileder på skolen. Hva lurer du på?"}, timeout=30)

    pushed = user.receive() + user.receive()
    assert ("counsellor", "Karriereveileder", "Hei, jeg er veileder på skolen. Hva lurer du på?") in [
        (m["author"], m["author_label"], m["text"]) for m in pushed]
    assert user.say("jeg vil ta fagbrev som tømrer") == []  # the bot is quiet while a person writes
    live = staff.get(f"{veivalg.web}/review/ko/{handoff}/meldinger.json", timeout=30).json()["lines"]
    assert live[-1] == {**live[-1], "author": "user", "text": "jeg vil ta fagbrev som tømrer"}
    assert any(line["author"] == "counsellor" for line in live)

    staff.post(f"{veivalg.web}/review/ko/{handoff}/gi-tilbake", data={"csrf_token": csrf}, timeout=30)
    assert any("Veivalg, chatboten, som svarer igjen" in m["text"] for m in user.receive())
    assert user.say("hva gjør en tømrer")[0]["text"].startswith("En tømrer")


def staff_page(browser: Any, veivalg: Running, name: str, height: int = 900) -> Any:
    """A new browser context with a counsellor logged in to the review app."""
    add_counsellor(veivalg, name)
    staff = browser.new_context(viewport={"width": 1000, "height": height}, locale="nb-NO").new_page()
    staff.goto(f"{veivalg.web}/review/login")
    staff.get_by_label("Brukernavn").fill(name)
    staff.get_by_label("Passord").fill(STAFF_PASSWORD)
    staff.get_by_role("button", name="Logg inn").click()
    staff.wait_for_url(lambda url: "/login" not in url, timeout=60_000)  # the session cookie is set before any goto
    return staff


def widget_say(user: Any, text: str, answer: str) -> None:
    """Type a message in the widget and wait for the bot's answer that contains `answer`."""
    from playwright.sync_api import expect

    box = user.get_by_label("Skriv en melding")
    before = user.locator(".vv-bot").count()
    box.fill(text)
    box.press("Enter")
    user.wait_for_function(f"() => document.querySelectorAll('.vv-bot').length > {before}", timeout=60_000)
    expect(user.locator(".vv-bot .vv-text", has_text=answer).last).to_be_visible(timeout=60_000)


@needs_chromium
def test_a_declined_handover_seen_in_the_widget_and_the_review_app(veivalg: Running):
    """The user says no to storing and to sharing, writes a name and a number, asks for a person: the
    counsellor sees only what is written after the takeover, redacted (screenshots in docs/screenshots)."""
    import re

    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        staff = staff_page(browser, veivalg, "kari")
        staff.goto(f"{veivalg.web}/review/ko")
        staff.get_by_role("button", name="Jeg er pålogget nå").click()

        user = browser.new_context(viewport={"width": 700, "height": 900}, locale="nb-NO").new_page()
        user.goto(f"{veivalg.web}/chat")
        box = user.get_by_label("Skriv en melding")

        def say(text: str, answer: str) -> None:
            widget_say(user, text, answer)

        say("hei", "Vil du at jeg tar vare på samtalen")
        say("2", "Hva vil du snakke om?")  # no to storing
        box.fill("Jeg heter Ola Nordmann. Telefonen min er 912 34 567.")
        box.press("Enter")
        expect(user.locator(".vv-user .vv-text", has_text="Ola Nordmann")).to_be_visible()
        say("jeg vil snakke med en veileder", "Vil du at veilederen får et kort sammendrag")
        say("2", "En veileder er pålogget nå")  # no to sharing
        say("1", "Koden din er")
        code = re.search(r"Koden din er ([A-Z0-9-]+)\.", user.locator(".vv").inner_text()).group(1)  # type: ignore[union-attr]

        staff.goto(f"{veivalg.web}/review/ko")
        staff.locator("tr", has_text=code).get_by_role("button", name="Ta saken").click()
        log = staff.locator("#live-log")
        expect(log).to_contain_text("Det som ble skrevet før du tok over, vises ikke")
        staff.get_by_role("button", name="Ta over samtalen").click()
        staff.get_by_label("Skriv til brukeren").fill("Hei, jeg heter Kari og er veileder. Hva kan jeg hjelpe med?")
        staff.get_by_role("button", name="Send").click()

        expect(user.locator(".vv-counsellor", has_text="Hva kan jeg hjelpe med?")).to_be_visible(timeout=30_000)
        box.fill("Kan du ringe meg på 912 34 567 i morgen? Jeg vil bli tømrer.")
        box.press("Enter")
        expect(log).to_contain_text("Jeg vil bli tømrer", timeout=30_000)

        seen = log.inner_text()
        assert "Ola" not in seen and "Nordmann" not in seen
        assert "912 34 567" not in seen and "91234567" not in seen
        assert "[telefon]" in seen and "Hva kan jeg hjelpe med?" in seen
        staff.screenshot(path=str(SCREENSHOTS / "handover_declined_review.png"), full_page=True)
        user.mouse.move(0, 0)
        user.screenshot(path=str(SCREENSHOTS / "handover_declined_widget.png"), animations="disabled")
        staff.get_by_role("button", name="Gi tilbake til Veivalg og avslutt").click()
        browser.close()
    logged = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in veivalg.log_dir.rglob("*.log"))
    assert "Nordmann" not in logged and "912 34 567" not in logged  # no message text in any log file


PERSONAL = ("Jeg heter Ola Nordmann og bor i Tveitkroken 6H, 0475 Oslo. Ring meg på 912 34 567 eller skriv til "
            "ola.nordmann@example.org. Fødselsnummeret mitt er 20117925049.")


@needs_chromium
def test_personal_data_typed_in_the_widget_never_reaches_the_review_transcript(veivalg: Running):
    """Said yes to storing, then a message full of personal data: the counsellor's transcript shows none of it."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        user = browser.new_context(viewport={"width": 700, "height": 900}, locale="nb-NO").new_page()
        user.goto(f"{veivalg.web}/chat")
        for text, answer in (("hei", "Vil du at jeg tar vare på samtalen"), ("1", "Hva vil du snakke om?"),
                             (PERSONAL, ""), ("hva gjør en tømrer", "En tømrer")):
            widget_say(user, text, answer)
        user.mouse.move(0, 0)
        user.screenshot(path=str(SCREENSHOTS / "privacy_widget_personal_data.png"), animations="disabled")

        staff = staff_page(browser, veivalg, "petter", height=1100)
        staff.goto(f"{veivalg.web}/review/samtaler")
        staff.get_by_role("link", name="Les samtalen").first.click()
        expect(staff.get_by_text("hva gjør en tømrer")).to_be_visible()
        page = staff.locator("main").inner_text()
        for secret in ("Ola", "Nordmann", "Tveitkroken", "0475", "912 34 567", "ola.nordmann", "20117925049"):
            assert secret not in page, secret
        assert "[navn]" in page and "[telefon]" in page and "[adresse]" in page
        staff.screenshot(path=str(SCREENSHOTS / "privacy_review_transcript.png"), full_page=True)
        browser.close()


@needs_chromium
def test_english_in_the_widget_end_to_end_and_a_polish_first_message(veivalg: Running):
    """«English» beside the consent question: the notice, the answers and the widget's own labels in English."""
    from playwright.sync_api import expect, sync_playwright

    def say(page: Any, text: str, answer: str) -> None:
        before = page.locator(".vv-bot").count()
        page.locator(".vv-input").fill(text)
        page.locator(".vv-input").press("Enter")
        page.wait_for_function(f"() => document.querySelectorAll('.vv-bot').length > {before}", timeout=60_000)
        expect(page.locator(".vv-bot .vv-text", has_text=answer).last).to_be_visible(timeout=60_000)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        user = browser.new_context(viewport={"width": 700, "height": 1000}, locale="en-GB").new_page()
        user.goto(f"{veivalg.web}/chat")
        say(user, "hei", "Vil du at jeg tar vare på samtalen")
        say(user, "3", "the prison can still log what happens on the screen")  # the third button: English
        say(user, "1", "What do you want to talk about?")
        say(user, "how do I become a welder", "How to become a welder")
        expect(user.get_by_role("button", name="Send", exact=True)).to_be_visible()
        expect(user.get_by_text("Write a message")).to_be_visible()
        expect(user.get_by_role("button", name="Talk to a counsellor", exact=True)).to_be_visible()
        assert user.evaluate("document.querySelector('.vv').lang") == "en"
        user.mouse.move(0, 0)
        user.screenshot(path=str(SCREENSHOTS / "widget_english.png"), animations="disabled")

        polish = browser.new_context(viewport={"width": 700, "height": 1000}, locale="pl-PL").new_page()
        polish.goto(f"{veivalg.web}/chat")
        say(polish, "Dzień dobry, nie rozumiem po norwesku, potrzebuję pomocy w sprawie pracy", "Veivalg")
        expect(polish.get_by_role("button", name="3. Porozmawiaj z doradcą")).to_be_visible()
        polish.mouse.move(0, 0)
        polish.screenshot(path=str(SCREENSHOTS / "widget_polish_way_in.png"), animations="disabled")
        say(polish, "1", "the prison can still log what happens on the screen")
        browser.close()


def test_the_actions_run_inside_rasa_and_no_action_server_is_started(veivalg: Running):
    # The scaled profile's action servers, and a killed one, are tested in tests/system/test_faults.py.
    assert not (veivalg.log_dir / "actions.pid").exists()
    assert not veivalg.actions_ready()

    texts = veivalg.texts("in-process", '/ask_occupation_info{"occupation": "tomrer"}')  # a custom action answers
    assert any(text.startswith("En tømrer bygger nye hus") for text in texts), texts


def test_ctrl_c_stops_everything_cleanly(veivalg: Running):
    veivalg.process.send_signal(signal.SIGINT)

    assert veivalg.process.wait(timeout=60) == 0
    for port in (veivalg.rasa_port, veivalg.web_port):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"
    assert not (veivalg.log_dir / "actions.pid").exists()
