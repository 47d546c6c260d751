"""The gateway to Rasa, against a fake of Veivalg's REST channel served on loopback.

`FakeRasa` and `serve` are also used by the route, terminal and browser tests of the widget.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from bot.settings import CHANNEL_SECRET_HEADER
from bot.text.buttons import select_button
from bot.web.chat.gateway import BotMessage, RasaGateway, RasaUnavailable, parse_answer

MENU = [
    {"title": "Yrker og utdanning", "payload": "/ask_occupations"},
    {"title": "Snakk med en veileder", "payload": "/request_human"},
]
MENU_EN = [
    {"title": "Jobs and education", "payload": "/ask_occupations"},
    {"title": "Talk to a counsellor", "payload": "/request_human"},
]


class FakeRasa:
    """Imitates Veivalg's REST channel: a greeting with buttons, typed numbers pick a button, kind answers."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.last_buttons: dict[str, list[dict[str, str]]] = {}
        self.english: set[str] = set()
        self.delay = 0.0
        self.status = 200
        self.while_thinking: Callable[[], None] | None = None  # something that happens while Rasa answers

    def answer(self, sender: str, text: str) -> list[dict[str, Any]]:
        text = select_button(text, self.last_buttons.get(sender, [])) or text
        if text.lower() in {"hei", "/greet"}:
            answer: list[dict[str, Any]] = [
                {"text": "Hei! Jeg er Veivalg, en chatbot. Jeg hjelper deg å tenke på jobb og skole."},
                {"text": "Hva vil du snakke om?", "buttons": MENU},
            ]
        elif text.lower() in {"english", '/set_language{"language":"en"}'}:
            self.english.add(sender)
            answer = [{"text": "OK. I will write in English now. You can choose «Norsk» at any time."},
                      {"text": "What do you want to talk about?", "buttons": MENU_EN}]
        elif text == "/ask_occupations":
            answer = [{"text": "Hvilket yrke lurer du på?"}]
        elif text == "/request_human" and sender in self.english:
            answer = [{"text": "I am telling a career counsellor. Please wait here."}]
        elif text == "/request_human":
            answer = [{"text": "Jeg sier fra til en karriereveileder. Vent litt her."}]
        else:
            answer = [{"text": f"Du skrev: «{text}». Vil du se valgene?", "buttons": MENU}]
        self.last_buttons[sender] = next((m["buttons"] for m in reversed(answer) if m.get("buttons")), [])
        return [{"recipient_id": sender, **message} for message in answer]

    def app(self) -> ASGIApp:
        async def webhook(request: Request) -> JSONResponse:
            body = await request.json()
            self.received.append(body)
            self.headers.append(dict(request.headers))
            if self.delay:
                await asyncio.sleep(self.delay)  # a Rasa that is stuck
            if self.while_thinking is not None:
                self.while_thinking()
            if self.status != 200:
                return JSONResponse({"error": "boom"}, status_code=self.status)
            return JSONResponse(self.answer(body["sender"], body["message"]))

        return Starlette(routes=[Route("/webhooks/rest/webhook", webhook, methods=["POST"])])

    def messages_from(self, sender_prefix: str) -> list[str]:
        return [r["message"] for r in self.received if r["sender"].startswith(sender_prefix)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: ASGIApp) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="auto", ws="none", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def fake_rasa() -> Iterator[tuple[FakeRasa, str]]:
    fake = FakeRasa()
    with serve(fake.app()) as url:
        yield fake, url


async def test_forwards_the_message_with_the_channel_in_metadata(fake_rasa):
    fake, url = fake_rasa
    gateway = RasaGateway(url)

    answers = await gateway.send("w-abc", "hei", "widget")
    await gateway.close()

    assert fake.received == [{"sender": "w-abc", "message": "hei", "metadata": {"channel": "widget"}}]
    assert answers[0].text.startswith("Hei! Jeg er Veivalg")
    assert answers[1] == BotMessage("Hva vil du snakke om?", MENU)


async def test_sends_the_channel_secret_the_rest_channel_requires(fake_rasa):
    fake, url = fake_rasa
    gateway = RasaGateway(url, channel_secret="s3cret")

    await gateway.send("w-abc", "hei", "widget")
    await gateway.close()

    assert fake.headers[-1][CHANNEL_SECRET_HEADER.lower()] == "s3cret"
    assert fake.headers[-1]["x-veivalg-sender"] == "w-abc"


async def test_a_typed_number_reaches_rasa_unchanged(fake_rasa):
    fake, url = fake_rasa
    gateway = RasaGateway(url)

    await gateway.send("t-abc", "hei", "terminal")
    answers = await gateway.send("t-abc", "1", "terminal")

    assert fake.received[-1]["message"] == "1"
    assert fake.received[-1]["metadata"] == {"channel": "terminal"}
    assert [a.text for a in answers] == ["Hvilket yrke lurer du på?"]


async def test_rasa_down_raises_rasa_unavailable():
    gateway = RasaGateway(f"http://127.0.0.1:{free_port()}")

    with pytest.raises(RasaUnavailable):
        await gateway.send("w-abc", "hei", "widget")


async def test_slow_rasa_raises_rasa_unavailable(fake_rasa):
    fake, url = fake_rasa
    fake.delay = 2.0
    gateway = RasaGateway(url, timeout=0.3)

    with pytest.raises(RasaUnavailable):
        await gateway.send("w-abc", "hei", "widget")


async def test_an_error_status_raises_rasa_unavailable(fake_rasa):
    fake, url = fake_rasa
    fake.status = 500

    with pytest.raises(RasaUnavailable):
        await RasaGateway(url).send("w-abc", "hei", "widget")


def test_parse_answer_keeps_text_and_buttons_and_drops_the_rest():
    parsed = parse_answer(
        [
            {"recipient_id": "x", "text": "Hei", "buttons": [{"title": "Ja", "payload": "/affirm"}, {"payload": "/x"}]},
            {"recipient_id": "x", "image": "https://example.org/a.png"},
            {"recipient_id": "x", "text": "   "},
            "not a message",
            {"recipient_id": "x", "buttons": [{"title": "Nei", "payload": "/deny"}]},
        ]
    )

    assert parsed == [
        BotMessage("Hei", [{"title": "Ja", "payload": "/affirm"}]),
        BotMessage("", [{"title": "Nei", "payload": "/deny"}]),
    ]


def test_parse_answer_rejects_what_is_not_a_list():
    with pytest.raises(RasaUnavailable):
        parse_answer({"error": "body must be UTF-8 JSON"})
