"""Two web processes (two apps) sharing the chat's state through Redis: any of them serves any conversation."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from bot.settings import get_settings
from bot.web.chat.hub_redis import RedisHub
from bot.web.chat.process_hub import CHAT_REDIS_DB, reset_hub
from tests.fixtures.servers import free_port, start_redis
from tests.web.chat.test_gateway import FakeRasa, serve
from tests.web.chat.test_routes import read_events, ticket_for, widget_app, widget_settings

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed; make system-deps installs it"
)


@pytest.fixture
def two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str, FakeRasa]]:
    """Two web apps on their own ports with VEIVALG_CHAT_STATE=redis, one Redis, one (fake) Rasa."""
    redis_port = free_port()
    server = start_redis(tmp_path, redis_port)
    monkeypatch.setenv("VEIVALG_REDIS_PORT", str(redis_port))
    monkeypatch.setenv("VEIVALG_REDIS_PASSWORD", "")
    get_settings.cache_clear()
    fake = FakeRasa()
    try:
        with ExitStack() as stack:
            rasa_url = stack.enter_context(serve(fake.app()))
            urls, hubs = [], []
            for _ in range(2):
                settings = widget_settings(tmp_path, rasa_url, VEIVALG_CHAT_STATE="redis",
                                           VEIVALG_REDIS_PORT=str(redis_port), VEIVALG_CHAT_SESSIONS_PER_MINUTE="1")
                import redis

                hub = RedisHub(redis.Redis(port=redis_port, db=CHAT_REDIS_DB), settings.idle_seconds)
                hubs.append(hub)
                stack.callback(hub.close)
                urls.append(stack.enter_context(serve(widget_app(settings, hub=hub))))
            yield urls[0], urls[1], fake
    finally:
        server.terminate()
        server.wait(timeout=10)
        reset_hub()
        get_settings.cache_clear()


def test_a_conversation_opened_at_one_process_goes_on_at_the_other(two_processes):
    one, other, _ = two_processes
    token = httpx.post(f"{one}/chat/api/session", json={}).json()["token"]

    answer = httpx.post(f"{other}/chat/api/message", json={"token": token, "text": "hei"}, timeout=30)
    log = httpx.get(f"{one}/chat/api/poll", params={"wait": 0}, headers={"X-Veivalg-Token": token}).json()

    assert answer.status_code == 200, answer.text
    seqs = [m["seq"] for m in answer.json()["messages"]]
    assert seqs == [m["seq"] for m in log["messages"]] == list(range(1, len(seqs) + 1))
    assert [m["author"] for m in log["messages"]][:2] == ["user", "bot"]


def test_a_ticket_from_one_process_opens_the_stream_at_the_other_and_replays_from_last_event_id(two_processes):
    one, other, _ = two_processes
    token = httpx.post(f"{one}/chat/api/session", json={}).json()["token"]
    for text in ("hei", "takk"):
        assert httpx.post(f"{one}/chat/api/message", json={"token": token, "text": text}, timeout=30).status_code == 200

    count = len(httpx.get(f"{one}/chat/api/poll", params={"wait": 0}, headers={"X-Veivalg-Token": token})
                .json()["messages"])

    with httpx.stream("GET", f"{other}/chat/api/events", params={"ticket": ticket_for(one, token)},
                      headers={"Last-Event-ID": str(count - 2)}, timeout=20) as response:
        lines = response.iter_lines()
        replayed = read_events(lines, 2)
        httpx.post(f"{one}/chat/api/message", json={"token": token, "text": "hva gjør en kokk"}, timeout=30)
        live = read_events(lines, 1)

    assert [event_id for event_id, _, _ in replayed] == [str(count - 1), str(count)]
    assert live[0][0] == str(count + 1) and json.loads(live[0][2])["text"] == "hva gjør en kokk"
    again = httpx.get(f"{one}/chat/api/events", params={"ticket": "used-or-made-up"}, timeout=20)
    assert again.status_code == 403


def test_the_limits_are_counted_once_for_every_process(two_processes):
    one, other, _ = two_processes

    answers = [httpx.post(f"{url}/chat/api/session", json={}).status_code for url in (one, other, one, other)]

    assert answers == [200, 200, 429, 429]  # VEIVALG_CHAT_SESSIONS_PER_MINUTE=1: two at once, from both


def test_redis_gone_gives_a_kind_503_not_a_crash(two_processes, tmp_path):
    one, _, _ = two_processes
    token = httpx.post(f"{one}/chat/api/session", json={}).json()["token"]
    import redis

    port = int(get_settings().redis_port)
    redis.Redis(port=port).shutdown(nosave=True)

    response = httpx.post(f"{one}/chat/api/message", json={"token": token, "text": "hei"}, timeout=60)

    assert response.status_code == 503
    assert response.json()["message"] == "Veivalg har et teknisk problem akkurat nå. Vent litt, og prøv igjen."


def test_after_redis_lost_everything_the_stream_closes_quietly_and_the_conversation_goes_on(two_processes):
    one, other, _ = two_processes
    token = httpx.post(f"{one}/chat/api/session", json={}).json()["token"]
    first = httpx.post(f"{one}/chat/api/message", json={"token": token, "text": "hei"}, timeout=30).json()["messages"]
    import redis

    client = redis.Redis(port=int(get_settings().redis_port), db=CHAT_REDIS_DB)
    time.sleep(1.1)  # tokens carry whole seconds

    with httpx.stream("GET", f"{other}/chat/api/events", params={"ticket": ticket_for(one, token)},
                      headers={"Last-Event-ID": str(first[-1]["seq"])}, timeout=40) as response:
        client.flushdb()  # what a Redis restart without persistence leaves
        lines = [line for line in response.iter_lines() if line.startswith(("event:", "data:"))]

    assert lines == []  # closed without `end`: the widget asks for a new ticket and goes on
    answer = httpx.post(f"{other}/chat/api/message", json={"token": token, "text": "takk"}, timeout=30)
    assert answer.status_code == 200, answer.text
    numbers = [m["seq"] for m in answer.json()["messages"]]
    assert min(numbers) > first[-1]["seq"] and numbers == sorted(numbers)
    with httpx.stream("GET", f"{one}/chat/api/events", params={"ticket": ticket_for(other, token)},
                      headers={"Last-Event-ID": str(first[-1]["seq"])}, timeout=20) as response:
        assert [int(event_id) for event_id, _, _ in read_events(response.iter_lines(), len(numbers))] == numbers


def test_redis_lost_while_rasa_answers_the_answer_still_reaches_the_user(two_processes):
    one, other, fake = two_processes
    token = httpx.post(f"{one}/chat/api/session", json={}).json()["token"]
    first = httpx.post(f"{one}/chat/api/message", json={"token": token, "text": "hei"}, timeout=30).json()["messages"]
    import redis

    time.sleep(1.1)  # tokens carry whole seconds
    fake.while_thinking = redis.Redis(port=int(get_settings().redis_port), db=CHAT_REDIS_DB).flushdb

    answer = httpx.post(f"{other}/chat/api/message", json={"token": token, "text": "takk"}, timeout=30)

    assert answer.status_code == 200, answer.text  # not 403: Rasa has the turn, so the user must see its answer
    bot = [m for m in answer.json()["messages"] if m["author"] == "bot"]
    assert bot and bot[0]["text"].startswith("Du skrev: «takk»") and bot[0]["seq"] > first[-1]["seq"]
    assert len(fake.received) == 2  # sent once


def test_a_conversation_ended_while_rasa_answers_stays_ended(two_processes):
    one, other, fake = two_processes
    token = httpx.post(f"{one}/chat/api/session", json={}).json()["token"]
    time.sleep(1.1)

    def ended() -> None:
        assert httpx.post(f"{other}/chat/api/end", json={"token": token}, timeout=10).status_code == 200

    fake.while_thinking = ended
    answer = httpx.post(f"{one}/chat/api/message", json={"token": token, "text": "hei"}, timeout=30)
    assert answer.status_code == 403
