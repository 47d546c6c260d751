"""Rate limits, stream tickets and conversation locks shared by web processes through Redis."""

from __future__ import annotations

import asyncio
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.web.chat.limits import Rate, RateLimiter
from bot.web.chat.shared import STREAM_SECONDS, RedisConversationLocks, RedisRateLimiter, RedisTickets
from bot.web.chat.tickets import StreamTickets
from tests.fixtures.servers import free_port, start_redis


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed; make system-deps installs it")
    import redis

    port = free_port()
    server = start_redis(Path(tmp_path_factory.mktemp("redis")), port)
    yield redis.Redis(port=port)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex}:"


def test_the_shared_buckets_decide_as_the_one_process_buckets_do(client, prefix):
    clock = Clock()
    here, shared = RateLimiter(clock=clock), RedisRateLimiter(client, clock=clock, prefix=prefix)
    rate = Rate(burst=3, per_minute=30)
    decisions = []
    for step in [0, 0, 0, 0, 0.5, 1.9, 0.2, 10, 0, 0, 0, 0]:
        clock.now += step
        decisions.append((here.allow("k", rate), shared.allow("k", rate)))

    assert [a for a, _ in decisions] == [b for _, b in decisions]
    assert [a for a, _ in decisions] == [True, True, True, False, False, True, False, True, True, True, False, False]


def test_two_web_processes_share_one_bucket(client, prefix):
    clock = Clock()
    one, other = (RedisRateLimiter(client, clock=clock, prefix=prefix) for _ in range(2))
    rate = Rate(burst=2, per_minute=1)

    assert one.allow("session:10.0.0.1", rate) and other.allow("session:10.0.0.1", rate)
    assert not one.allow("session:10.0.0.1", rate) and not other.allow("session:10.0.0.1", rate)
    assert one.allow("session:10.0.0.2", rate)


def test_open_streams_are_counted_across_processes_and_a_dead_processs_lapse(client, prefix):
    clock = Clock()
    one, other = (RedisRateLimiter(client, clock=clock, prefix=prefix) for _ in range(2))
    first, second = one.open_stream("w-1", limit=2), other.open_stream("w-1", limit=2)

    assert first and second and first != second
    assert one.open_stream("w-1", limit=2) is None
    other.close_stream("w-1", second)
    third = one.open_stream("w-1", limit=2)
    assert third is not None

    clock.now += STREAM_SECONDS / 2
    one.keep_stream("w-1", third)  # still open; `first` is never renewed: its process died
    clock.now += STREAM_SECONDS / 2 + 1
    assert other.open_stream("w-1", limit=2) is not None
    assert other.open_stream("w-1", limit=2) is None


def test_the_in_memory_streams_have_the_same_handles(prefix):
    limiter = RateLimiter()
    first = limiter.open_stream("w-1", limit=1)

    assert first is not None and limiter.open_stream("w-1", limit=1) is None
    limiter.keep_stream("w-1", first)
    limiter.close_stream("w-1", first)
    assert limiter.open_stream("w-1", limit=1) is not None


def test_a_ticket_from_one_process_is_redeemed_once_in_another(client, prefix):
    one, other = RedisTickets(client, prefix=prefix), RedisTickets(client, prefix=prefix)
    ticket = one.issue("w-1")

    assert other.redeem(ticket) == "w-1"
    assert one.redeem(ticket) is None and other.redeem(ticket) is None
    assert other.redeem("made-up") is None and other.redeem("") is None


def test_tickets_expire_as_in_one_process(client, prefix):
    shared = RedisTickets(client, seconds=0.05, prefix=prefix)
    here = StreamTickets(seconds=0.05)
    tickets = shared.issue("w-1"), here.issue("w-1")
    time.sleep(0.2)

    assert shared.redeem(tickets[0]) is None and here.redeem(tickets[1]) is None


async def test_one_conversations_turns_wait_for_each_other_across_processes(client, prefix):
    one, other = RedisConversationLocks(client, prefix=prefix), RedisConversationLocks(client, prefix=prefix)
    order: list[str] = []

    async def turn(locks: RedisConversationLocks, name: str, seconds: float) -> None:
        async with locks.hold("w-1"):
            order.append(f"{name} starts")
            await asyncio.sleep(seconds)
            order.append(f"{name} ends")

    first = asyncio.create_task(turn(one, "first", 0.3))
    await asyncio.sleep(0.05)
    await asyncio.gather(turn(other, "second", 0), first)
    async with other.hold("w-2"), one.hold("w-3"):  # other conversations never wait
        pass

    assert order == ["first starts", "first ends", "second starts", "second ends"]
    assert client.keys(f"{prefix}lock:*") == []


async def test_a_long_turn_keeps_its_lock_and_a_dead_holders_lock_lapses(client, prefix):
    one, other = (RedisConversationLocks(client, seconds=0.3, prefix=prefix) for _ in range(2))
    order: list[str] = []

    async def long_turn() -> None:
        async with one.hold("w-1"):
            order.append("long starts")
            await asyncio.sleep(1.0)  # three times the lock's lifetime: renewed meanwhile
            order.append("long ends")

    first = asyncio.create_task(long_turn())
    await asyncio.sleep(0.05)
    async with other.hold("w-1"):
        order.append("next")
    await first
    assert order == ["long starts", "long ends", "next"]

    client.set(f"{prefix}lock:w-2", "a process that died", px=300)  # never released
    started = time.monotonic()
    async with other.hold("w-2"):
        waited = time.monotonic() - started
    assert 0.1 < waited < 2
