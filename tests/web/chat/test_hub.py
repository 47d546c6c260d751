from __future__ import annotations

import asyncio
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.web.chat.hub import ConversationGone, Hub, HubFull
from bot.web.chat.hub_redis import RedisHub
from bot.web.chat.process_hub import get_hub, reset_hub
from tests.fixtures.servers import free_port, start_redis

NO_REDIS = "redis-server is not installed; make system-deps installs it"


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    if shutil.which("redis-server") is None:
        pytest.skip(NO_REDIS)
    port = free_port()
    server = start_redis(Path(tmp_path_factory.mktemp("redis")), port)
    yield port
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture(params=["memory", "redis"])
def make_hub(request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Builds a hub in this process's memory, or in Redis (each test with keys of its own)."""
    if request.param == "memory":
        yield Hub
        return
    import redis

    client = redis.Redis(port=request.getfixturevalue("redis_port"))
    made: list[RedisHub] = []

    def build(**kwargs: Any) -> RedisHub:
        hub = RedisHub(client, prefix=f"test:{uuid.uuid4().hex}:", **kwargs)
        made.append(hub)
        return hub

    yield build
    for hub in made:
        hub.close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_messages_are_numbered_in_order_with_labels(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")

    seqs = [
        hub.publish("w-1", "user", "hei"),
        hub.publish("w-1", "bot", "Hva vil du snakke om?", [{"title": "Yrker", "payload": "/occupations"}]),
        hub.publish("w-1", "counsellor", "Hei, jeg er Kari."),
    ]

    assert seqs == [1, 2, 3]
    messages = hub.messages_after("w-1", 0)
    assert [(m["seq"], m["author"], m["author_label"]) for m in messages] == [
        (1, "user", "Du"),
        (2, "bot", "Veivalg"),
        (3, "counsellor", "Karriereveileder"),
    ]
    assert messages[1]["buttons"] == [{"title": "Yrker", "payload": "/occupations"}]
    assert messages[0]["ts"].endswith("+00:00")


def test_each_conversation_has_its_own_numbers(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    hub.open("w-2")

    hub.publish("w-1", "user", "a")
    hub.publish("w-1", "user", "b")

    assert hub.publish("w-2", "user", "c") == 1
    assert [m["text"] for m in hub.messages_after("w-2", 0)] == ["c"]


def test_replay_after_a_sequence_number_gives_exactly_the_later_messages(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    for number in range(1, 6):
        hub.publish("w-1", "bot", f"melding {number}")

    assert [m["seq"] for m in hub.messages_after("w-1", 3)] == [4, 5]
    assert hub.messages_after("w-1", 5) == []


def test_a_custom_author_label_is_kept_and_unknown_authors_are_refused(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")

    hub.publish("w-1", "counsellor", "Hei!", author_label="Karriereveileder Kari")

    assert hub.messages_after("w-1", 0)[0]["author_label"] == "Karriereveileder Kari"
    with pytest.raises(ValueError):
        hub.publish("w-1", "system", "x")


def test_callers_cannot_change_the_log_through_returned_messages(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "bot", "Velg", [{"title": "Ja", "payload": "/affirm"}])

    copy = hub.messages_after("w-1", 0)[0]
    copy["text"] = "endret"
    copy["buttons"][0]["title"] = "endret"

    assert hub.messages_after("w-1", 0)[0]["text"] == "Velg"
    assert hub.messages_after("w-1", 0)[0]["buttons"][0]["title"] == "Ja"


async def test_wait_returns_at_once_when_messages_are_there(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "bot", "hei")

    assert [m["seq"] for m in await hub.wait("w-1", 0, timeout=30)] == [1]


async def test_wait_is_woken_by_a_new_message(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "user", "hei")

    waiter = asyncio.create_task(hub.wait("w-1", 1, timeout=30))
    await asyncio.sleep(0)
    assert not waiter.done()
    hub.publish("w-1", "counsellor", "Hei, jeg er her.")

    messages = await asyncio.wait_for(waiter, timeout=10)
    assert [(m["seq"], m["text"]) for m in messages] == [(2, "Hei, jeg er her.")]


async def test_a_message_published_from_another_thread_wakes_the_listener(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    started = asyncio.Event()

    async def listen() -> list:
        started.set()
        return await hub.wait("w-1", 0, timeout=30)

    waiter = asyncio.create_task(listen())
    await started.wait()
    await asyncio.sleep(0)
    thread = threading.Thread(target=hub.publish, args=("w-1", "counsellor", "fra en annen tråd"))
    thread.start()

    messages = await asyncio.wait_for(waiter, timeout=10)
    thread.join()
    assert [m["text"] for m in messages] == ["fra en annen tråd"]


async def test_wait_gives_an_empty_list_on_timeout(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")

    assert await hub.wait("w-1", 0, timeout=0.05) == []


async def test_ending_wakes_the_listener_and_forgets_everything(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "user", "hei")
    waiter = asyncio.create_task(hub.wait("w-1", 1, timeout=30))
    await asyncio.sleep(0)

    assert hub.end("w-1") is True

    assert await asyncio.wait_for(waiter, timeout=10) == []
    assert not hub.exists("w-1")
    assert hub.messages_after("w-1", 0) == []
    assert hub.end("w-1") is False
    assert hub.publish("w-1", "counsellor", "for sent") == 0
    with pytest.raises(ConversationGone):
        hub.append("w-1", "counsellor", "for sent")
    assert not hub.exists("w-1")


def test_a_message_for_a_conversation_nobody_holds_goes_nowhere(make_hub):
    hub = make_hub(idle_seconds=600)

    assert hub.publish("a-rest-sender", "counsellor", "hallo?") == 0
    assert not hub.exists("a-rest-sender")
    with pytest.raises(ConversationGone):
        hub.append("w-never", "bot", "hallo?")


def test_idle_conversations_are_dropped_and_activity_keeps_them(make_hub):
    clock = Clock()
    hub = make_hub(idle_seconds=60, clock=clock)
    hub.open("w-quiet")
    hub.open("w-busy")
    hub.publish("w-quiet", "user", "hei")

    clock.now += 50
    hub.publish("w-busy", "user", "fortsatt her")
    clock.now += 11

    assert not hub.exists("w-quiet")
    assert hub.messages_after("w-quiet", 0) == []
    assert hub.exists("w-busy")
    assert hub.count() == 1


def test_the_sweep_frees_idle_conversations_nobody_asks_about():
    clock = Clock()
    hub = Hub(idle_seconds=60, clock=clock)
    for number in range(10):
        hub.open(f"w-{number}")

    clock.now += 61
    hub.open("w-new")

    assert list(hub._conversations) == ["w-new"]  # dropped by the sweep, without anyone asking


def test_old_messages_beyond_the_limit_are_dropped(make_hub):
    hub = make_hub(idle_seconds=600, max_messages=3)
    hub.open("w-1")
    for number in range(5):
        hub.publish("w-1", "bot", str(number))

    assert [m["seq"] for m in hub.messages_after("w-1", 0)] == [3, 4, 5]


def test_the_least_active_conversation_gives_way_when_the_hub_is_full(make_hub):
    clock = Clock()
    hub = make_hub(idle_seconds=600, clock=clock, max_conversations=2)
    hub.open("w-1")
    clock.now += 1
    hub.open("w-2")
    clock.now += 1

    hub.open("w-3")

    assert not hub.exists("w-1")
    assert hub.exists("w-2") and hub.exists("w-3")


def test_last_message_by_author(make_hub):
    hub = make_hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "bot", "første")
    hub.publish("w-1", "bot", "andre", [{"title": "Ja", "payload": "/affirm"}])
    hub.publish("w-1", "user", "ja")

    latest = hub.last_message("w-1", "bot")

    assert latest is not None and latest["text"] == "andre"
    assert hub.last_message("w-1", "counsellor") is None


def test_get_hub_is_one_hub_per_process_with_the_idle_time_from_the_settings(monkeypatch):
    monkeypatch.setenv("VEIVALG_IDLE_SECONDS", "123")
    from bot.settings import get_settings

    get_settings.cache_clear()
    reset_hub()
    try:
        assert get_hub() is get_hub()
        assert get_hub().idle_seconds == 123
    finally:
        reset_hub()


def test_a_conversation_with_a_counsellor_or_flagged_urgent_is_never_dropped(make_hub):
    clock = Clock()
    hub = make_hub(idle_seconds=600, clock=clock, max_conversations=2, protected=lambda c: c in {"w-live", "w-urgent"})
    hub.open("w-live")
    clock.now += 1
    hub.open("w-1")
    clock.now += 1

    hub.open("w-2")  # w-live is the least active, but a person has it
    assert hub.exists("w-live") and hub.exists("w-2") and not hub.exists("w-1")

    full = make_hub(idle_seconds=600, clock=clock, max_conversations=1, protected=lambda c: True)
    full.open("w-urgent")
    with pytest.raises(HubFull):
        full.open("w-new")
    assert full.exists("w-urgent")


def test_the_redis_sweep_frees_idle_conversations_nobody_asks_about(redis_port):
    import redis

    clock = Clock()
    hub = RedisHub(redis.Redis(port=redis_port), idle_seconds=60, clock=clock, prefix=f"test:{uuid.uuid4().hex}:")
    for number in range(10):
        hub.open(f"w-{number}")

    clock.now += 61
    hub.open("w-new")

    assert hub.count() == 1 and hub.exists("w-new")
    assert not any(hub.exists(f"w-{number}") for number in range(10))


async def test_a_message_written_by_one_web_process_reaches_a_listener_in_another(redis_port):
    import redis

    prefix = f"test:{uuid.uuid4().hex}:"
    one = RedisHub(redis.Redis(port=redis_port), idle_seconds=600, prefix=prefix)
    other = RedisHub(redis.Redis(port=redis_port), idle_seconds=600, prefix=prefix)
    try:
        one.open("w-1")
        assert other.publish("w-1", "user", "hei") == 1
        waiter = asyncio.create_task(one.wait("w-1", 1, timeout=30))
        await asyncio.sleep(0.2)
        assert not waiter.done()

        assert other.publish("w-1", "counsellor", "Hei, jeg er her.") == 2

        messages = await asyncio.wait_for(waiter, timeout=10)
        assert [(m["seq"], m["text"]) for m in messages] == [(2, "Hei, jeg er her.")]
        assert [m["seq"] for m in other.messages_after("w-1", 0)] == [m["seq"] for m in one.messages_after("w-1", 0)]
        ended = asyncio.create_task(other.wait("w-1", 2, timeout=30))
        await asyncio.sleep(0.2)
        assert one.end("w-1") is True
        assert await asyncio.wait_for(ended, timeout=10) == []
        assert not other.exists("w-1")
    finally:
        one.close()
        other.close()


def test_two_processes_writing_at_once_get_each_number_once_and_in_order(redis_port):
    import redis

    prefix = f"test:{uuid.uuid4().hex}:"
    hubs = [RedisHub(redis.Redis(port=redis_port), idle_seconds=600, prefix=prefix) for _ in range(2)]
    hubs[0].open("w-1")
    seqs: list[int] = []
    lock = threading.Lock()

    def write(hub: RedisHub, writer: int) -> None:
        for number in range(50):
            seq = hub.append("w-1", "user", f"{writer}-{number}")
            with lock:
                seqs.append(seq)

    threads = [threading.Thread(target=write, args=(hub, n)) for n, hub in enumerate(hubs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(seqs) == list(range(1, 101))
    stored = hubs[1].messages_after("w-1", 0)
    assert [m["seq"] for m in stored] == list(range(1, 101))
    for writer in ("0", "1"):  # each writer's own messages in the order it wrote them
        mine = [int(m["text"].split("-")[1]) for m in stored if m["text"].startswith(writer + "-")]
        assert mine == list(range(50))


def test_get_hub_is_shared_through_redis_when_the_settings_say_so(redis_port, monkeypatch):
    from bot.settings import get_settings

    monkeypatch.setenv("VEIVALG_CHAT_STATE", "redis")
    monkeypatch.setenv("VEIVALG_REDIS_PORT", str(redis_port))
    monkeypatch.setenv("VEIVALG_REDIS_PASSWORD", "")
    monkeypatch.setenv("VEIVALG_IDLE_SECONDS", "77")
    get_settings.cache_clear()
    reset_hub()
    try:
        hub = get_hub()
        assert isinstance(hub, RedisHub) and hub is get_hub() and hub.idle_seconds == 77
        hub.open("w-settings")
        assert hub.publish("w-settings", "bot", "hei") == 1
        hub.end("w-settings")
    finally:
        reset_hub()
        get_settings.cache_clear()


def test_a_lost_conversation_reopens_with_numbers_above_the_old_ones_but_an_ended_one_does_not(make_hub):
    hub = make_hub(idle_seconds=600)
    started = hub.started_at()
    assert started <= time.time() and hub.started_at() == started  # the same answer every time

    assert hub.reopen("w-lost") is True  # it was open before this hub began
    assert hub.exists("w-lost")
    assert hub.append("w-lost", "user", "hei") > 1_600_000_000_000
    assert hub.reopen("w-lost") is True  # open already: nothing changes
    assert [m["text"] for m in hub.messages_after("w-lost", 0)] == ["hei"]

    hub.open("w-ended")
    hub.end("w-ended")
    assert hub.reopen("w-ended") is False and not hub.exists("w-ended")


def test_redis_losing_everything_moves_the_start_forward(redis_port):
    import redis

    client = redis.Redis(port=redis_port)
    prefix = f"test:{uuid.uuid4().hex}:"
    hub = RedisHub(client, idle_seconds=600, prefix=prefix)
    before = hub.started_at()
    time.sleep(0.05)
    for key in client.scan_iter(match=prefix + "*"):  # what a restart without persistence leaves
        client.delete(key)

    assert hub.started_at() > before
