"""Live takeover through Rasa's HTTP API: pause, the counsellor's words marked as from a person, resume."""

from __future__ import annotations

import json

import httpx
import pytest

from bot.handover.visibility import HIDDEN_NOTE
from bot.rasa_adapter.http_api import HANDED_BACK, TAKEN_OVER, Takeover, TakeoverError
from bot.settings import load_settings


@pytest.fixture
def settings(tmp_path):
    return load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40, "VEIVALG_RASA_PORT": "6111"})


def recording(status: int = 200):
    calls: list[tuple[str, dict, list]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.url.path, dict(request.url.params), json.loads(request.content)))
        return httpx.Response(status, json={})

    return calls, httpx.Client(transport=httpx.MockTransport(handler))


def test_taking_over_pauses_and_tells_the_user(settings, monkeypatch):
    pushed = []
    monkeypatch.setattr(Takeover, "_push", staticmethod(lambda *args, **kw: pushed.append(args)))
    calls, client = recording()

    Takeover(settings, client).take_over("w-abc")

    path, params, events = calls[0]
    assert path == "/conversations/w-abc/tracker/events"
    assert params["token"] == settings.rasa_api_token
    assert events == [{"event": "pause"}, {"event": "bot", "text": TAKEN_OVER, "metadata": {"author": "system"}}]
    assert pushed == [("w-abc", "bot", TAKEN_OVER)]


def test_the_counsellors_words_are_marked_as_from_a_person(settings, monkeypatch):
    pushed = []
    monkeypatch.setattr(Takeover, "_push", staticmethod(lambda *args, **kw: pushed.append(args)))
    calls, client = recording()

    Takeover(settings, client).say("w-abc", "  Hei, jeg heter Kari og er veileder.  ")

    assert calls[0][2] == [{"event": "bot", "text": "Hei, jeg heter Kari og er veileder.",
                            "metadata": {"author": "counsellor", "author_role": "Karriereveileder"}}]
    assert pushed == [("w-abc", "counsellor", "Hei, jeg heter Kari og er veileder.", "Karriereveileder")]


def test_handing_back_resumes_the_bot(settings, monkeypatch):
    monkeypatch.setattr(Takeover, "_push", staticmethod(lambda *args, **kw: None))
    calls, client = recording()

    Takeover(settings, client).hand_back("w-abc")

    assert calls[0][2][0] == {"event": "resume"} and calls[0][2][1]["text"] == HANDED_BACK


def test_failures_are_reported_in_norwegian(settings):
    _, refusing = recording(status=409)
    with pytest.raises(TakeoverError, match="godtok ikke"):
        Takeover(settings, refusing).say("w-abc", "hei")
    with pytest.raises(TakeoverError, match="tom"):
        Takeover(settings, refusing).say("w-abc", "   ")

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(TakeoverError, match="kontakt"):
        Takeover(settings, httpx.Client(transport=httpx.MockTransport(down))).take_over("w-abc")


def _live(settings, events, shared: bool):
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/conversations/w-abc/tracker"
        return httpx.Response(200, json={"events": events})

    return Takeover(settings, httpx.Client(transport=httpx.MockTransport(handler))).messages("w-abc", shared=shared)


CONVERSATION = [
    {"event": "user", "text": "jeg heter Ola Nordmann og vil snakke med noen", "timestamp": 1.0},
    {"event": "bot", "text": "Jeg har sagt fra.", "timestamp": 2.0},
    {"event": "action", "name": "action_listen"},
    {"event": "pause", "timestamp": 3.0},
    {"event": "bot", "text": "Hei, jeg er veileder.", "metadata": {"author": "counsellor"}, "timestamp": 4.0},
    {"event": "user", "text": "ring meg på 912 34 567", "timestamp": 4.5},
    {"event": "resume", "timestamp": 5.0},
]
STORED = [{"event": "slot", "name": "consent_to_store", "value": True}]


def test_the_live_view_shows_who_wrote_what_when_the_user_agreed_to_storing_and_sharing(settings):
    lines = _live(settings, STORED + CONVERSATION, shared=True)

    assert [(line["author"], line["text"]) for line in lines] == [
        ("user", "jeg heter [navn] og vil snakke med noen"), ("bot", "Jeg har sagt fra."),
        ("system", "Veileder tok over"), ("counsellor", "Hei, jeg er veileder."), ("user", "ring meg på [telefon]"),
        ("system", "Tilbake til Veivalg"),
    ]


@pytest.mark.parametrize(("stored", "shared"), [(False, False), (False, True), (True, False)])
def test_a_user_who_said_no_shows_only_what_came_after_the_takeover(settings, stored: bool, shared: bool):
    lines = _live(settings, (STORED if stored else []) + CONVERSATION, shared=shared)

    assert [(line["author"], line["text"]) for line in lines] == [
        ("system", HIDDEN_NOTE), ("system", "Veileder tok over"), ("counsellor", "Hei, jeg er veileder."),
        ("user", "ring meg på [telefon]"), ("system", "Tilbake til Veivalg"),
    ]
    assert "Ola" not in str(lines)


def test_before_a_takeover_a_user_who_said_no_shows_nothing(settings):
    lines = _live(settings, CONVERSATION[:3], shared=False)

    assert lines == [{"author": "system", "text": HIDDEN_NOTE, "ts": None}]
