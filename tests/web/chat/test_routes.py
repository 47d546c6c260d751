"""The gateway's HTTP API with a fake Rasa REST channel on loopback: tokens, origins, log, events, speech."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.settings import Settings, load_settings
from bot.web.chat.gateway import TECHNICAL_PROBLEM, RasaGateway
from bot.web.chat.hub import Hub
from bot.web.chat.routes import mount_widget
from bot.web.chat.speech import Speaker
from bot.web.chat.tokens import TokenSigner, new_conversation_id
from tests.web.chat.test_gateway import FakeRasa, free_port, serve

SECRET = "widget-route-tests-" + "k" * 30
ALLOWED = "https://e-veiledning.example"


def widget_settings(home: Path, rasa_url: str, **extra: str) -> Settings:
    port = rasa_url.rsplit(":", 1)[1]
    environ = {
        "VEIVALG_HOME": str(home),
        "VEIVALG_SECRET_KEY": SECRET,
        "VEIVALG_RASA_PORT": port,
        "VEIVALG_ALLOWED_ORIGINS": ALLOWED,
        "VEIVALG_MAX_MESSAGE_CHARS": "200",
        **extra,
    }
    return load_settings(environ)


def widget_app(settings: Settings, **kwargs) -> FastAPI:
    app = FastAPI()
    mount_widget(app, settings, hub=kwargs.pop("hub", Hub(settings.idle_seconds)), **kwargs)
    return app


@dataclass
class Gateway:
    client: TestClient
    fake: FakeRasa
    hub: Hub

    def token(self, client: str = "widget") -> str:
        response = self.client.post("/chat/api/session", json={"client": client})
        assert response.status_code == 200
        return str(response.json()["token"])

    def say(self, token: str, text: str, **extra: str) -> httpx.Response:
        return self.client.post("/chat/api/message", json={"token": token, "text": text, **extra})

    def log(self, token: str) -> list[dict]:
        response = self.client.get(
            "/chat/api/poll", params={"after": 0, "wait": 0}, headers={"X-Veivalg-Token": token}
        )
        assert response.status_code == 200
        return list(response.json()["messages"])


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Gateway]:
    fake = FakeRasa()
    with serve(fake.app()) as rasa_url:
        settings = widget_settings(tmp_path, rasa_url)
        hub = Hub(settings.idle_seconds)
        with TestClient(widget_app(settings, hub=hub)) as client:
            yield Gateway(client, fake, hub)


def conversation_of(token: str) -> str:
    return TokenSigner(SECRET).conversation_id(token)


def test_a_session_gives_a_signed_token_and_the_idle_time(gateway: Gateway):
    response = gateway.client.post("/chat/api/session", json={})

    body = response.json()
    assert set(body) == {"token", "idle_seconds", "max_chars"}
    assert body["idle_seconds"] == 600 and body["max_chars"] == 200
    assert conversation_of(body["token"]).startswith("w-")
    assert conversation_of(gateway.token("terminal")).startswith("t-")
    assert gateway.client.post("/chat/api/session").status_code == 200  # an empty body means the widget
    assert "set-cookie" not in response.headers
    assert response.headers["cache-control"] == "no-store"


def test_a_session_for_an_unknown_client_is_refused_in_norwegian(gateway: Gateway):
    response = gateway.client.post("/chat/api/session", json={"client": "robot"})

    assert response.status_code == 400
    assert response.json()["message"] == "Ukjent klient. Bruk «widget» eller «terminal»."


def test_a_message_goes_to_rasa_and_both_sides_are_logged(gateway: Gateway):
    token = gateway.token()

    response = gateway.say(token, "hei")

    assert response.status_code == 200
    body = response.json()
    assert body["error"] is False
    assert [(m["seq"], m["author"], m["text"][:10]) for m in body["messages"]] == [
        (1, "user", "hei"),
        (2, "bot", "Hei! Jeg e"),
        (3, "bot", "Hva vil du"),
    ]
    assert body["messages"][2]["buttons"][0] == {"title": "Yrker og utdanning", "payload": "/ask_occupations"}
    assert gateway.fake.received == [
        {"sender": conversation_of(token), "message": "hei", "metadata": {"channel": "widget"}}
    ]
    assert gateway.log(token) == body["messages"]


def test_the_terminal_client_is_named_in_the_metadata(gateway: Gateway):
    gateway.say(gateway.token("terminal"), "hei")

    assert gateway.fake.received[0]["metadata"] == {"channel": "terminal"}


def test_a_typed_number_is_logged_as_the_buttons_title(gateway: Gateway):
    token = gateway.token()
    gateway.say(token, "hei")

    messages = gateway.say(token, "1").json()["messages"]

    assert messages[0]["text"] == "Yrker og utdanning"
    assert messages[1]["text"] == "Hvilket yrke lurer du på?"
    assert gateway.fake.received[-1]["message"] == "1"  # the REST channel maps the number itself


def test_a_clicked_button_sends_its_payload_and_logs_its_title(gateway: Gateway):
    token = gateway.token()

    messages = gateway.say(token, "/request_human", label="Snakk med en veileder").json()["messages"]

    assert messages[0]["text"] == "Snakk med en veileder"
    assert gateway.fake.received[-1]["message"] == "/request_human"


def test_rasa_down_gives_a_kind_message_and_keeps_the_users_words(tmp_path: Path):
    settings = widget_settings(tmp_path, f"http://127.0.0.1:{free_port()}")
    with TestClient(widget_app(settings)) as client:
        token = client.post("/chat/api/session", json={}).json()["token"]

        response = client.post("/chat/api/message", json={"token": token, "text": "hva gjør en kokk"})
        log = client.get("/chat/api/poll", params={"wait": 0}, headers={"X-Veivalg-Token": token}).json()[
            "messages"]

    assert response.status_code == 200
    body = response.json()
    assert body["error"] is True
    assert [(m["author"], m["text"]) for m in body["messages"]] == [
        ("user", "hva gjør en kokk"),
        ("bot", TECHNICAL_PROBLEM),
    ]
    assert TECHNICAL_PROBLEM == (
        "Beklager, Veivalg har et teknisk problem akkurat nå. Prøv igjen om litt, eller si fra til en ansatt."
    )
    assert log == body["messages"]


def test_slow_rasa_gives_the_same_kind_message(tmp_path: Path):
    fake = FakeRasa()
    fake.delay = 3.0
    with serve(fake.app()) as rasa_url:
        settings = widget_settings(tmp_path, rasa_url)
        app = widget_app(settings, gateway=RasaGateway(rasa_url, timeout=0.3))
        with TestClient(app) as client:
            token = client.post("/chat/api/session", json={}).json()["token"]
            body = client.post("/chat/api/message", json={"token": token, "text": "hei"}).json()

    assert body["error"] is True
    assert body["messages"][-1]["text"] == TECHNICAL_PROBLEM


def test_a_too_long_message_is_refused_kindly_and_never_reaches_rasa(gateway: Gateway):
    token = gateway.token()

    response = gateway.say(token, "ord " * 100)

    assert response.status_code == 422
    assert response.json() == {
        "error": True,
        "code": "too_long",
        "message": "Meldingen din er for lang. Kan du skrive det kortere? Del det gjerne opp i flere meldinger.",
    }
    assert gateway.fake.received == []
    assert gateway.log(token) == []


def test_an_empty_message_is_refused_kindly(gateway: Gateway):
    response = gateway.say(gateway.token(), " \u200b ")

    assert response.status_code == 422
    assert response.json()["code"] == "empty"


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[]", b'"hei"', b'{"token": "x", "text": {"a": 1}}'])
def test_what_is_not_a_json_message_gets_a_clean_400(gateway: Gateway, body: bytes):
    if b"token" in body:
        body = json.dumps({"token": gateway.token(), "text": {"a": 1}}).encode()

    response = gateway.client.post("/chat/api/message", content=body, headers={"Content-Type": "application/json"})

    assert response.status_code == 400
    assert response.json()["message"] == "Vi klarte ikke å lese forespørselen. Den må være JSON."


def test_a_huge_body_is_refused_before_it_is_read(gateway: Gateway):
    response = gateway.client.post("/chat/api/message", content=b"x" * 2_000_000)

    assert response.status_code == 413


def invalid_tokens(gateway: Gateway) -> dict[str, str]:
    """A forged token, a tampered one, and another conversation's id without a valid signature."""
    real = gateway.token()
    other_id = conversation_of(gateway.token())
    payload, timestamp, signature = real.split(".")
    return {
        "forged": TokenSigner("someone-elses-secret-key-" + "z" * 20).sign(conversation_of(real)),
        "tampered": f"{payload}.{timestamp}.{signature[:-3]}abc",
        "bare id": other_id,
        "id with a made-up signature": f"{other_id}.{timestamp}.{signature}",
    }


def test_invalid_tokens_get_403_everywhere(gateway: Gateway):
    for name, token in invalid_tokens(gateway).items():
        responses = {
            "message": gateway.say(token, "hei"),
            "poll": gateway.client.get("/chat/api/poll", params={"wait": 0}, headers={"X-Veivalg-Token": token}),
            "ticket": gateway.client.post("/chat/api/ticket", json={"token": token}),
            "speak": gateway.client.post("/chat/api/speak", json={"token": token, "text": "hei"}),
            "end": gateway.client.post("/chat/api/end", json={"token": token}),
        }
        for route, response in responses.items():
            assert response.status_code == 403, (name, route)
            assert response.json()["message"].startswith("Samtalen er ikke gyldig lenger"), (name, route)
    assert gateway.fake.received == []


def test_a_valid_token_of_an_unknown_conversation_gets_403(gateway: Gateway):
    unknown = TokenSigner(SECRET).sign(new_conversation_id())

    assert gateway.say(unknown, "hei").status_code == 403


def test_ending_forgets_the_conversation(gateway: Gateway):
    token = gateway.token()
    gateway.say(token, "hei")

    assert gateway.client.post("/chat/api/end", json={"token": token}).json() == {"ended": True}

    assert not gateway.hub.exists(conversation_of(token))
    assert gateway.say(token, "hei igjen").status_code == 403
    polled = gateway.client.get("/chat/api/poll", params={"wait": 0}, headers={"X-Veivalg-Token": token})
    assert polled.status_code == 403
    assert gateway.client.post("/chat/api/end", json={"token": token}).status_code == 200


def test_a_post_from_an_origin_that_is_not_allowed_gets_403(gateway: Gateway):
    token = gateway.token()

    for path, body in [("/chat/api/session", {}), ("/chat/api/message", {"token": token, "text": "hei"})]:
        response = gateway.client.post(path, json=body, headers={"Origin": "https://evil.example"})
        assert response.status_code == 403
        assert response.json()["message"] == "Denne nettsiden har ikke lov til å bruke Veivalg-chatten."
        assert "access-control-allow-origin" not in response.headers
    assert gateway.fake.received == []
    assert gateway.log(token) == []


def test_a_preflight_from_an_origin_that_is_not_allowed_gets_no_cors_headers(gateway: Gateway):
    response = gateway.client.options(
        "/chat/api/message",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )

    assert response.status_code == 403
    assert not [name for name in response.headers if name.lower().startswith("access-control-")]


def test_an_allowed_origin_gets_cors_headers(gateway: Gateway):
    preflight = gateway.client.options(
        "/chat/api/message",
        headers={
            "Origin": ALLOWED,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    token = gateway.token()
    response = gateway.client.post(
        "/chat/api/message", json={"token": token, "text": "hei"}, headers={"Origin": ALLOWED}
    )

    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in preflight.headers
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert response.headers["vary"] == "Origin"


def test_the_pages_own_origin_and_requests_without_origin_pass(gateway: Gateway):
    own = gateway.client.post("/chat/api/session", json={}, headers={"Origin": "http://testserver"})
    none = gateway.client.post("/chat/api/session", json={})

    assert own.status_code == 200 and none.status_code == 200


def test_the_demo_page_embeds_the_widget_under_a_strict_policy(gateway: Gateway):
    response = gateway.client.get("/chat")

    html = response.text
    assert response.status_code == 200
    assert '<html lang="nb">' in html
    assert '<script src="/chat/widget.js" defer></script>' in html
    assert '<div id="veivalg-chat"></div>' in html
    assert "demo" in html
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(("query", "attribute"), [("5", 'data-idle="5"'), ("1", 'data-idle="3"'), ("x", None)])
def test_the_demo_page_takes_a_short_idle_time_for_tests(gateway: Gateway, query: str, attribute: str | None):
    html = gateway.client.get("/chat", params={"idle": query}).text

    if attribute:
        assert attribute in html
    else:
        assert "data-idle" not in html


def test_the_widget_files_are_served_small_and_typed(gateway: Gateway):
    script = gateway.client.get("/chat/widget.js")
    style = gateway.client.get("/chat/widget.css")

    assert script.headers["content-type"].startswith("text/javascript")
    assert style.headers["content-type"].startswith("text/css")
    assert script.headers["x-content-type-options"] == "nosniff"
    assert len(script.content) < 20_000 and len(style.content) < 8_000
    for forbidden in ("localStorage", "sessionStorage", "indexedDB", "document.cookie", "http://", "https://"):
        assert forbidden not in script.text.split("*/", 1)[1], forbidden
    assert "@import" not in style.text and "url(" not in style.text


def test_a_long_poll_receives_a_counsellors_message(gateway: Gateway):
    token = gateway.token()
    gateway.say(token, "hei")
    conversation_id = conversation_of(token)
    timer = threading.Timer(0.2, gateway.hub.publish, args=(conversation_id, "counsellor", "Hei, jeg heter Kari."))
    timer.start()

    response = gateway.client.get(
        "/chat/api/poll", params={"after": 3, "wait": 20}, headers={"X-Veivalg-Token": token}
    )
    timer.join()

    body = response.json()
    assert [(m["seq"], m["author"], m["author_label"], m["text"]) for m in body["messages"]] == [
        (4, "counsellor", "Karriereveileder", "Hei, jeg heter Kari.")
    ]
    assert body["ended"] is False


def test_speak_returns_a_wav_from_espeak_ng(gateway: Gateway):
    response = gateway.client.post(
        "/chat/api/speak", json={"token": gateway.token(), "text": "Hva vil du snakke om?"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert response.content[:4] == b"RIFF" and response.content[8:12] == b"WAVE"


def test_speak_refuses_long_texts(gateway: Gateway):
    response = gateway.client.post("/chat/api/speak", json={"token": gateway.token(), "text": "a" * 601})

    assert response.status_code == 422
    assert response.json()["message"] == "Teksten er for lang til å leses opp."


def test_speak_without_espeak_ng_says_so_in_norwegian(tmp_path: Path):
    settings = widget_settings(tmp_path, f"http://127.0.0.1:{free_port()}")
    with TestClient(widget_app(settings, speaker=Speaker(executable=""))) as client:
        token = client.post("/chat/api/session", json={}).json()["token"]
        response = client.post("/chat/api/speak", json={"token": token, "text": "hei"})

    assert response.status_code == 503
    assert response.json()["message"].startswith("Opplesing virker ikke på denne maskinen")


def read_events(lines: Iterator[str], count: int) -> list[tuple[str, str, str]]:
    """The next `count` events (id, event type, data) from the lines of a server-sent event stream."""
    events: list[tuple[str, str, str]] = []
    fields: dict[str, str] = {}
    for line in lines:
        if line == "":
            if "data" in fields:
                events.append((fields.get("id", ""), fields.get("event", "message"), fields["data"]))
                if len(events) == count:
                    return events
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value.lstrip(" ")
    return events


def test_events_replay_exactly_the_missed_messages_then_stream_live(tmp_path: Path):
    settings = widget_settings(tmp_path, f"http://127.0.0.1:{free_port()}")
    hub = Hub(settings.idle_seconds)
    with serve(widget_app(settings, hub=hub)) as url:
        token = httpx.post(f"{url}/chat/api/session", json={}).json()["token"]
        conversation_id = conversation_of(token)
        for text in ("hei", "Hei! Jeg er Veivalg.", "Hva vil du snakke om?", "Yrker"):
            hub.publish(conversation_id, "bot", text)
        seen_before_drop = 2

        with httpx.stream(
            "GET", f"{url}/chat/api/events", params={"ticket": ticket_for(url, token)},
            headers={"Last-Event-ID": str(seen_before_drop)}, timeout=20,
        ) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            replayed = read_events(lines, 2)
            hub.publish(conversation_id, "counsellor", "Hei, jeg heter Kari.")
            live = read_events(lines, 1)
            hub.end(conversation_id)
            ended = read_events(lines, 1)

        ticket = httpx.post(f"{url}/chat/api/ticket", json={"token": token})
        assert ticket.status_code == 403, "the conversation has ended: no new ticket"

    assert [(event_id, json.loads(data)["text"]) for event_id, _, data in replayed] == [
        ("3", "Hva vil du snakke om?"),
        ("4", "Yrker"),
    ]
    assert [(event_id, json.loads(data)["author"]) for event_id, _, data in live] == [("5", "counsellor")]
    assert ended[0][1] == "end"


def ticket_for(url: str, token: str) -> str:
    return str(httpx.post(f"{url}/chat/api/ticket", json={"token": token}).json()["ticket"])


def test_a_stream_ticket_works_once_and_the_token_is_never_in_a_url(tmp_path: Path):
    settings = widget_settings(tmp_path, f"http://127.0.0.1:{free_port()}")
    hub = Hub(settings.idle_seconds)
    with serve(widget_app(settings, hub=hub)) as url:
        token = httpx.post(f"{url}/chat/api/session", json={}).json()["token"]
        hub.publish(conversation_of(token), "bot", "hei")
        ticket = ticket_for(url, token)
        assert token not in ticket
        assert httpx.get(f"{url}/chat/api/poll", params={"token": token, "wait": 0}).status_code == 403

        with httpx.stream("GET", f"{url}/chat/api/events", params={"ticket": ticket}, timeout=20) as first:
            assert first.status_code == 200 and read_events(first.iter_lines(), 1)
        again = httpx.get(f"{url}/chat/api/events", params={"ticket": ticket}, timeout=20)

    assert again.status_code == 403, "a ticket works once"


def test_events_start_after_the_after_parameter_without_last_event_id(tmp_path: Path):
    settings = widget_settings(tmp_path, f"http://127.0.0.1:{free_port()}")
    hub = Hub(settings.idle_seconds)
    with serve(widget_app(settings, hub=hub)) as url:
        token = httpx.post(f"{url}/chat/api/session", json={}).json()["token"]
        for text in ("en", "to", "tre"):
            hub.publish(conversation_of(token), "bot", text)
        stream: dict[str, str | int] = {"ticket": ticket_for(url, token), "after": 1}
        with httpx.stream("GET", f"{url}/chat/api/events", params=stream, timeout=20) as response:
            events = read_events(response.iter_lines(), 2)

    assert [json.loads(data)["text"] for _, _, data in events] == ["to", "tre"]


def test_a_flood_of_new_sessions_from_one_address_is_slowed_kindly(gateway: Gateway):
    answers = [gateway.client.post("/chat/api/session", json={}).status_code for _ in range(40)]

    assert answers[:20] == [200] * 20 and 429 in answers
    refused = gateway.client.post("/chat/api/session", json={})
    assert refused.json()["message"] == "Det kom veldig mange meldinger på kort tid. Vent litt, og prøv igjen."


def test_a_flood_of_messages_in_one_conversation_is_slowed_and_others_go_on(gateway: Gateway):
    token, other = gateway.token(), gateway.token()

    answers = [gateway.say(token, f"melding {n}").status_code for n in range(25)]

    assert answers[:15] == [200] * 15 and answers[-1] == 429
    assert gateway.say(other, "hei").status_code == 200


def test_a_restarted_web_process_lets_an_open_conversation_go_on_with_higher_numbers(tmp_path: Path):
    fake = FakeRasa()
    with serve(fake.app()) as rasa_url:
        settings = widget_settings(tmp_path, rasa_url)
        with TestClient(widget_app(settings)) as before:
            token = before.post("/chat/api/session", json={}).json()["token"]
            seen = [m["seq"] for m in before.post("/chat/api/message", json={"token": token, "text": "hei"})
                    .json()["messages"]]
        restarted = Hub(settings.idle_seconds)
        restarted._started_at += 5  # the new process began after the token was signed (tokens carry seconds)
        with TestClient(widget_app(settings, hub=restarted)) as after:
            answer = after.post("/chat/api/message", json={"token": token, "text": "takk"})
            ended = after.post("/chat/api/end", json={"token": token})
            gone = after.post("/chat/api/message", json={"token": token, "text": "igjen"})

    assert seen[0] == 1 and answer.status_code == 200
    numbers = [m["seq"] for m in answer.json()["messages"]]
    assert min(numbers) > max(seen) and numbers == sorted(numbers)
    assert ended.status_code == 200 and gone.status_code == 403  # ended here: not brought back
