"""A conversation without consent goes on whichever Rasa server a message reaches (scaled profile, Redis)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import PROJECT_ROOT
from bot.rasa_adapter.tracker_store import CONSENT_SLOT, MEMORY_SECONDS, ConsentTrackerStore
from bot.settings import get_settings
from tests.fixtures.servers import free_port

DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not installed; make system-deps installs it"
)


@pytest.fixture
def redis_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A Redis server of its own, without persistence, as the scaled profile runs it."""
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    monkeypatch.setenv("VEIVALG_REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("VEIVALG_REDIS_PORT", str(port))
    monkeypatch.setenv("VEIVALG_REDIS_PASSWORD", "")
    get_settings.cache_clear()
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 20
    while True:
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield port
    server.terminate()
    server.wait(timeout=10)
    get_settings.cache_clear()


def two_servers(tmp_path: Path) -> tuple[ConsentTrackerStore, ConsentTrackerStore]:
    """Two Rasa servers' stores: one database, one Redis."""
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    return (ConsentTrackerStore(domain=DOMAIN, host=url, unsaved="redis"),
            ConsentTrackerStore(domain=DOMAIN, host=url, unsaved="redis"))


def stored_rows(tmp_path: Path, sender: str) -> int:
    with sqlite3.connect(tmp_path / "tracker.db") as connection:
        return int(connection.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0])


async def test_a_conversation_without_consent_goes_on_at_the_other_server(redis_port, tmp_path):
    first, second = two_servers(tmp_path)
    tracker = DialogueStateTracker.from_events("s1", [UserUttered("hei")], DOMAIN.slots)
    tracker.update(BotUttered("Vil du at jeg tar vare på samtalen?"))
    await first.save(tracker)

    there = await second.retrieve("s1")
    assert there is not None and [e.text for e in there.events if isinstance(e, BotUttered)] == [
        "Vil du at jeg tar vare på samtalen?"]
    there.update(UserUttered("hva gjør en tømrer"))
    await second.save(there)

    back = await first.retrieve("s1")  # the first server's own copy is stale: Redis has more
    assert back is not None and back.latest_message.text == "hva gjør en tømrer"
    assert stored_rows(tmp_path, "s1") == 0 and "s1" in first.unsaved


async def test_consent_and_its_withdrawal_take_effect_at_every_server(redis_port, tmp_path):
    first, second = two_servers(tmp_path)
    tracker = DialogueStateTracker.from_events("s2", [UserUttered("hei")], DOMAIN.slots)
    await first.save(tracker)

    there = await second.retrieve("s2")
    assert there is not None
    there.update(UserUttered("ja"))
    there.update(SlotSet(CONSENT_SLOT, True))
    await second.save(there)
    assert stored_rows(tmp_path, "s2") > 0 and "s2" not in first.unsaved
    back = await first.retrieve("s2")
    assert back is not None and back.get_slot(CONSENT_SLOT) is True
    back.update(SlotSet(CONSENT_SLOT, False))
    await first.save(back)
    assert stored_rows(tmp_path, "s2") == 0
    withdrawn = await second.retrieve("s2")
    assert withdrawn is not None and withdrawn.get_slot(CONSENT_SLOT) is False


async def test_kept_only_for_the_idle_time_and_never_on_disk(redis_port, tmp_path):
    import redis

    first, _ = two_servers(tmp_path)
    await first.save(DialogueStateTracker.from_events("s3", [UserUttered("hei")], DOMAIN.slots))

    client = redis.Redis(port=redis_port, db=1)  # the endpoints' `unsaved_db`
    assert 0 < client.ttl("veivalg:unsaved:s3") <= MEMORY_SECONDS
    assert client.config_get("save")["save"] == "" and client.config_get("appendonly")["appendonly"] == "no"
    assert list(tmp_path.glob("*.rdb")) == [] and list(tmp_path.glob("*.aof")) == []
