"""The chat widget in real Chromium, against the real gateway and a fake Rasa REST channel on loopback."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.web.app import create_app
from bot.web.chat.hub import Hub
from bot.web.chat.process_hub import reset_hub
from tests.browser.conftest import SCREENSHOTS, needs_chromium
from tests.web.chat.test_gateway import FakeRasa, serve
from tests.web.chat.test_routes import widget_settings

pytestmark = needs_chromium


@dataclass
class Stack:
    fake: FakeRasa
    url: str
    hub: Hub


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The real web app (`create_app`: review app and chat gateway) and a fake Rasa, on free loopback ports."""
    fake = FakeRasa()
    with serve(fake.app()) as rasa_url:
        settings = widget_settings(tmp_path_factory.mktemp("widget-browser"), rasa_url)
        reset_hub()
        app = create_app(settings)
        with serve(app) as url:
            yield Stack(fake, url, app.state.chat_widget.hub)
        reset_hub()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 900, "height": 1000}, locale="nb-NO")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    assert context.cookies() == []
    context.close()
    assert problems == [], problems  # no script errors, no Content-Security-Policy violations


def storage_is_empty(page: Page) -> None:
    state = page.evaluate(
        """async () => ({
            local: localStorage.length,
            session: sessionStorage.length,
            cookie: document.cookie,
            databases: (await indexedDB.databases()).length,
        })"""
    )
    assert state == {"local": 0, "session": 0, "cookie": "", "databases": 0}


def bot_says(page: Page, text: str) -> None:
    expect(page.locator(".vv-bot .vv-text", has_text=text).last).to_be_visible()


def latest_sender(stack: Stack) -> str:
    return str(stack.fake.received[-1]["sender"])


def test_greet_click_a_button_and_see_the_answer(page: Page, stack: Stack):
    page.goto(f"{stack.url}/chat")
    expect(page.get_by_text("Skriv hei for å begynne.")).to_be_visible()
    expect(page.get_by_text("Dette er en demo av chatten")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.screenshot(path=str(SCREENSHOTS / "widget_start.png"), animations="disabled")

    page.get_by_role("button", name="Si hei").click()
    bot_says(page, "Hva vil du snakke om?")
    expect(page.get_by_role("button", name="1. Yrker og utdanning")).to_be_visible()
    expect(page.locator(".vv-bot .vv-who").first).to_have_text("Veivalg (en chatbot)")
    expect(page.locator(".vv-user .vv-who").first).to_have_text("Du")
    page.screenshot(path=str(SCREENSHOTS / "widget_buttons.png"), animations="disabled")

    page.get_by_role("button", name="1. Yrker og utdanning").click()
    bot_says(page, "Hvilket yrke lurer du på?")
    expect(page.locator(".vv-user .vv-text").last).to_have_text("Yrker og utdanning")
    assert stack.fake.received[-1]["message"] == "/ask_occupations"

    page.get_by_label("Skriv en melding").fill("hva gjør en kokk")
    page.get_by_role("button", name="Send").click()
    bot_says(page, "Du skrev: «hva gjør en kokk»")
    page.get_by_label("Skriv en melding").fill("2")
    page.keyboard.press("Enter")
    bot_says(page, "Jeg sier fra til en karriereveileder.")
    expect(page.locator(".vv-user .vv-text").last).to_have_text("Snakk med en veileder")

    stack.hub.publish(latest_sender(stack), "counsellor", "Hei, jeg heter Kari. Jeg er karriereveileder.")
    counsellor = page.locator(".vv-counsellor")
    expect(counsellor).to_contain_text("Hei, jeg heter Kari.")
    expect(counsellor.locator(".vv-who")).to_have_text("Karriereveileder")
    assert counsellor.evaluate("n => getComputedStyle(n).backgroundColor") != page.locator(".vv-bot").first.evaluate(
        "n => getComputedStyle(n).backgroundColor"
    )
    assert page.locator(".vv-msg").evaluate_all("nodes => nodes.map(n => Number(n.dataset.seq))") == list(
        range(1, 11)
    )
    storage_is_empty(page)


def test_talk_to_a_counsellor_and_new_conversation_actions(page: Page, stack: Stack):
    page.goto(f"{stack.url}/chat")
    page.get_by_role("button", name="Si hei").click()
    bot_says(page, "Hva vil du snakke om?")
    first = latest_sender(stack)

    page.locator(".vv-tools").get_by_role("button", name="Snakk med en veileder").click()
    bot_says(page, "Jeg sier fra til en karriereveileder.")
    assert stack.fake.received[-1]["message"] == "/request_human"

    page.get_by_role("button", name="Ny samtale").click()
    expect(page.locator(".vv-msg")).to_have_count(0)
    expect(page.get_by_text("Skriv hei for å begynne.")).to_be_visible()
    assert _eventually_gone(stack, first)
    storage_is_empty(page)


def _eventually_gone(stack: Stack, conversation_id: str) -> bool:
    """The page ends the conversation with a request of its own; wait for the server to have it."""
    deadline = time.monotonic() + 10
    while stack.hub.exists(conversation_id):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_larger_text_and_read_aloud(page: Page, stack: Stack):
    page.goto(f"{stack.url}/chat")
    page.get_by_role("button", name="Si hei").click()
    bot_says(page, "Hva vil du snakke om?")
    size_before = page.locator(".vv-text").first.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")

    toggle = page.get_by_role("button", name="A+ Større tekst")
    toggle.click()

    expect(toggle).to_have_attribute("aria-pressed", "true")
    size_after = page.locator(".vv-text").first.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")
    assert size_after >= size_before * 1.25
    page.mouse.move(0, 0)
    page.screenshot(path=str(SCREENSHOTS / "widget_large_text.png"), animations="disabled")

    page.get_by_role("button", name="Les høyt").click()
    audio = page.locator("audio.vv-audio")
    expect(audio).to_be_visible()
    page.wait_for_function("() => document.querySelector('audio.vv-audio').readyState >= 1")
    assert audio.evaluate("a => a.src.startsWith('blob:') && a.duration > 1")
    storage_is_empty(page)


def test_the_idle_time_wipes_the_screen_and_the_conversation(page: Page, stack: Stack):
    page.goto(f"{stack.url}/chat?idle=4")
    page.get_by_label("Skriv en melding").fill("hei")
    page.keyboard.press("Enter")
    bot_says(page, "Hva vil du snakke om?")
    conversation_id = latest_sender(stack)
    page.locator(".vv-head").hover()
    page.get_by_label("Skriv en melding").fill("noe jeg ikke sendte")

    expect(page.get_by_text("Er du der fortsatt?")).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Samtalen ble slettet fordi ingen har skrevet på en stund.")).to_be_visible(
        timeout=10_000
    )

    expect(page.locator(".vv-msg")).to_have_count(0)
    expect(page.get_by_label("Skriv en melding")).to_have_value("")
    expect(page.get_by_text("Skriv hei for å begynne.")).to_be_visible()
    assert "Hva vil du snakke om?" not in page.locator(".vv").inner_text()
    assert _eventually_gone(stack, conversation_id)
    storage_is_empty(page)

    page.get_by_role("button", name="Si hei").click()
    bot_says(page, "Hva vil du snakke om?")
    assert latest_sender(stack) != conversation_id


def test_keyboard_only(page: Page, stack: Stack):
    page.goto(f"{stack.url}/chat")
    focused = ""
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.textContent")
        if page.evaluate("document.activeElement.classList.contains('vv-input')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('vv-input')"), focused

    page.keyboard.type("hei")
    page.keyboard.press("Enter")
    bot_says(page, "Hva vil du snakke om?")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("2. Snakk med en veileder")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(":focus")).to_have_text("1. Yrker og utdanning")
    style = page.locator(":focus").evaluate("n => [getComputedStyle(n).outlineStyle, getComputedStyle(n).outlineWidth]")
    outline = " ".join(style)
    assert outline.startswith("solid") and not outline.endswith(" 0px")
    page.keyboard.press("Enter")

    bot_says(page, "Hvilket yrke lurer du på?")
    assert page.evaluate("document.activeElement.classList.contains('vv-input')")
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    bot_says(page, "Du skrev: «1»")
    storage_is_empty(page)


def test_accessibility_basics(page: Page, stack: Stack):
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{stack.url}/chat")
    page.get_by_role("button", name="Si hei").click()
    bot_says(page, "Hva vil du snakke om?")
    stack.hub.publish(latest_sender(stack), "counsellor", "Hei fra veilederen.")
    expect(page.locator(".vv-counsellor")).to_be_visible()

    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("group", name="Valg")).to_be_visible()
    assert page.locator(".vv-msg").first.evaluate("n => getComputedStyle(n).animationName") == "none"
    pairs = {
        "bot text": ".vv-bot .vv-text",
        "bot label": ".vv-bot .vv-who",
        "user text": ".vv-user .vv-text",
        "counsellor label": ".vv-counsellor .vv-who",
        "choice": ".vv-choice",
        "tool": ".vv-tool",
        "send": ".vv-send",
        "heading": ".vv-sub",
    }
    for name, selector in pairs.items():
        colours = page.locator(selector).first.evaluate(
            """n => {
                let bg = 'rgba(0, 0, 0, 0)', node = n;
                while (node && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
                    bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
                }
                return [getComputedStyle(n).color, bg];
            }"""
        )
        assert contrast(*colours) >= 4.5, (name, colours)


def contrast(foreground: str, background: str) -> float:
    def luminance(css: str) -> float:
        red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
