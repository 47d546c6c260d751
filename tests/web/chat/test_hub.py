from __future__ import annotations

import asyncio
import threading

import pytest

from bot.web.chat.hub import ConversationGone, Hub, HubFull, get_hub, reset_hub


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_messages_are_numbered_in_order_with_labels():
    hub = Hub(idle_seconds=600)
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


def test_each_conversation_has_its_own_numbers():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")
    hub.open("w-2")

    hub.publish("w-1", "user", "a")
    hub.publish("w-1", "user", "b")

    assert hub.publish("w-2", "user", "c") == 1
    assert [m["text"] for m in hub.messages_after("w-2", 0)] == ["c"]


def test_replay_after_a_sequence_number_gives_exactly_the_later_messages():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")
    for number in range(1, 6):
        hub.publish("w-1", "bot", f"melding {number}")

    assert [m["seq"] for m in hub.messages_after("w-1", 3)] == [4, 5]
    assert hub.messages_after("w-1", 5) == []


def test_a_custom_author_label_is_kept_and_unknown_authors_are_refused():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")

    hub.publish("w-1", "counsellor", "Hei!", author_label="Karriereveileder Kari")

    assert hub.messages_after("w-1", 0)[0]["author_label"] == "Karriereveileder Kari"
    with pytest.raises(ValueError):
        hub.publish("w-1", "system", "x")


def test_callers_cannot_change_the_log_through_returned_messages():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "bot", "Velg", [{"title": "Ja", "payload": "/affirm"}])

    copy = hub.messages_after("w-1", 0)[0]
    copy["text"] = "endret"
    copy["buttons"][0]["title"] = "endret"

    assert hub.messages_after("w-1", 0)[0]["text"] == "Velg"
    assert hub.messages_after("w-1", 0)[0]["buttons"][0]["title"] == "Ja"


async def test_wait_returns_at_once_when_messages_are_there():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "bot", "hei")

    assert [m["seq"] for m in await hub.wait("w-1", 0, timeout=30)] == [1]


async def test_wait_is_woken_by_a_new_message():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")
    hub.publish("w-1", "user", "hei")

    waiter = asyncio.create_task(hub.wait("w-1", 1, timeout=30))
    await asyncio.sleep(0)
    assert not waiter.done()
    hub.publish("w-1", "counsellor", "Hei, jeg er her.")

    messages = await asyncio.wait_for(waiter, timeout=10)
    assert [(m["seq"], m["text"]) for m in messages] == [(2, "Hei, jeg er her.")]


async def test_a_message_published_from_another_thread_wakes_the_listener():
    hub = Hub(idle_seconds=600)
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


async def test_wait_gives_an_empty_list_on_timeout():
    hub = Hub(idle_seconds=600)
    hub.open("w-1")

    assert await hub.wait("w-1", 0, timeout=0.05) == []


async def test_ending_wakes_the_listener_and_forgets_everything():
    hub = Hub(idle_seconds=600)
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


def test_a_message_for_a_conversation_nobody_holds_goes_nowhere():
    hub = Hub(idle_seconds=600)

    assert hub.publish("a-rest-sender", "counsellor", "hallo?") == 0
    assert not hub.exists("a-rest-sender")
    with pytest.raises(ConversationGone):
        hub.append("w-never", "bot", "hallo?")


def test_idle_conversations_are_dropped_and_activity_keeps_them():
    clock = Clock()
    hub = Hub(idle_seconds=60, clock=clock)
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


def test_old_messages_beyond_the_limit_are_dropped():
    hub = Hub(idle_seconds=600, max_messages=3)
    hub.open("w-1")
    for number in range(5):
        hub.publish("w-1", "bot", str(number))

    assert [m["seq"] for m in hub.messages_after("w-1", 0)] == [3, 4, 5]


def test_the_least_active_conversation_gives_way_when_the_hub_is_full():
    clock = Clock()
    hub = Hub(idle_seconds=600, clock=clock, max_conversations=2)
    hub.open("w-1")
    clock.now += 1
    hub.open("w-2")
    clock.now += 1

    hub.open("w-3")

    assert not hub.exists("w-1")
    assert hub.exists("w-2") and hub.exists("w-3")


def test_last_message_by_author():
    hub = Hub(idle_seconds=600)
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


def test_a_conversation_with_a_counsellor_or_flagged_urgent_is_never_dropped():
    clock = Clock()
    hub = Hub(idle_seconds=600, clock=clock, max_conversations=2, protected=lambda c: c in {"w-live", "w-urgent"})
    hub.open("w-live")
    clock.now += 1
    hub.open("w-1")
    clock.now += 1

    hub.open("w-2")  # w-live is the least active, but a person has it
    assert hub.exists("w-live") and hub.exists("w-2") and not hub.exists("w-1")

    full = Hub(idle_seconds=600, clock=clock, max_conversations=1, protected=lambda c: True)
    full.open("w-urgent")
    with pytest.raises(HubFull):
        full.open("w-new")
    assert full.exists("w-urgent")
