"""Consent is enforced where conversations are stored: without a yes, nothing reaches the database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import PROJECT_ROOT
from bot.rasa_adapter import tracker_store
from bot.rasa_adapter.tracker_store import CONSENT_SLOT, ConsentTrackerStore
from bot.settings import get_settings

DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def store(tmp_path: Path) -> ConsentTrackerStore:
    return ConsentTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 'tracker.db'}")


def stored_rows(store: ConsentTrackerStore, sender: str) -> int:
    path = store.engine.url.database
    with sqlite3.connect(path) as connection:
        return int(connection.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0])


def conversation(sender: str, consent: bool | None) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, [UserUttered("jeg heter Ola og vil bli tømrer")], DOMAIN.slots)
    if consent is not None:
        tracker.update(SlotSet(CONSENT_SLOT, consent))
    return tracker


async def test_the_memory_copy_uses_the_domain_rasa_sets_after_loading_the_model(tmp_path):
    store = ConsentTrackerStore(domain=None, host=f"sqlite:///{tmp_path / 'late.db'}")
    store.domain = DOMAIN
    tracker = conversation("late", None)
    tracker.update(SlotSet("retention_days", 45))
    await store.save(tracker)

    kept = await store.retrieve("late")
    assert kept is not None and kept.get_slot("retention_days") == 45


async def test_without_an_answer_nothing_is_stored_but_the_dialogue_works(store):
    await store.save(conversation("a", None))

    assert stored_rows(store, "a") == 0
    kept = await store.retrieve("a")
    assert kept is not None and kept.latest_message.text == "jeg heter Ola og vil bli tømrer"


async def test_declining_stores_nothing(store):
    await store.save(conversation("b", False))

    assert stored_rows(store, "b") == 0


async def test_consent_stores_the_whole_conversation(store):
    tracker = conversation("c", None)
    await store.save(tracker)
    tracker.update(SlotSet(CONSENT_SLOT, True))
    await store.save(tracker)

    assert stored_rows(store, "c") == 2
    assert "c" not in store.unsaved
    assert (await store.retrieve("c")).get_slot(CONSENT_SLOT) is True


async def test_withdrawing_consent_deletes_what_was_stored(store):
    tracker = conversation("d", True)
    await store.save(tracker)
    assert stored_rows(store, "d") == 2

    tracker.update(SlotSet(CONSENT_SLOT, False))
    await store.save(tracker)

    assert stored_rows(store, "d") == 0
    assert (await store.retrieve("d")).get_slot(CONSENT_SLOT) is False


async def test_memory_copies_are_dropped_after_hours_without_a_message(store, monkeypatch):
    await store.save(conversation("e", None))
    monkeypatch.setattr(tracker_store, "MEMORY_SECONDS", -1)
    store._swept = 0.0

    await store.save(conversation("f", None))

    assert "e" not in store.unsaved


async def test_memory_for_conversations_without_consent_is_bounded(store, monkeypatch):
    monkeypatch.setattr(tracker_store, "MAX_UNSAVED", 3)
    for sender in ("u1", "u2", "u3", "u4"):
        await store.save(conversation(sender, None))

    assert set(store.unsaved) == {"u2", "u3", "u4"}, "the longest idle one is forgotten"


async def test_after_a_confirmed_deletion_nothing_before_it_is_stored_or_remembered(store):
    from rasa.shared.core.events import ActionExecuted, BotUttered

    tracker = conversation("del", True)
    tracker.update(SlotSet("retention_days", 30))
    await store.save(tracker)
    assert stored_rows(store, "del") > 0

    tracker.update(UserUttered("slett samtalen min"))
    tracker.update(ActionExecuted("action_delete_conversation"))
    tracker.update(SlotSet(CONSENT_SLOT, False))
    tracker.update(BotUttered("Ferdig. Samtalen er slettet."))
    await store.save(tracker)

    assert stored_rows(store, "del") == 0
    kept = await store.retrieve("del")
    assert kept is not None
    texts = [getattr(e, "text", None) for e in kept.events]
    assert "jeg heter Ola og vil bli tømrer" not in texts and "slett samtalen min" not in texts
    assert texts[-1] == "Ferdig. Samtalen er slettet."
    assert kept.get_slot(CONSENT_SLOT) is False and kept.get_slot("retention_days") == 30


class FlakyDatabase:
    """Makes the store's reads and writes fail `failures` times, as a restarting database does."""

    def __init__(self, store: ConsentTrackerStore, failures: int) -> None:
        from sqlalchemy.exc import OperationalError

        self.failures = failures
        self.error = OperationalError("select", {}, Exception("server closed the connection unexpectedly"))
        self.original = store.session_scope

        def session_scope():
            if self.failures > 0:
                self.failures -= 1
                raise self.error
            return self.original()

        store.session_scope = session_scope


async def test_a_restarting_database_costs_a_retry_not_a_conversation(store):
    tracker = conversation("pg", True)
    await store.save(tracker)
    FlakyDatabase(store, failures=3)

    kept = await store.retrieve("pg")

    assert kept is not None and kept.get_slot(CONSENT_SLOT) is True
    assert "pg" not in tracker_store.UNREADABLE


async def test_an_unreadable_conversation_is_never_saved_over(store):
    await store.save(conversation("down", True))
    rows = stored_rows(store, "down")
    store.retry_seconds = 0.3
    flaky = FlakyDatabase(store, failures=1000)

    with pytest.raises(tracker_store.StoreUnavailable):
        await store.retrieve("down")
    assert "down" in tracker_store.UNREADABLE
    # Rasa goes on with an empty tracker (no consent slot) and then saves it: that must not delete anything.
    with pytest.raises(tracker_store.StoreUnavailable):
        await store.save(conversation("down", None))

    flaky.failures = 0  # the database is back
    assert stored_rows(store, "down") == rows
    assert (await store.retrieve("down")) is not None and "down" not in tracker_store.UNREADABLE


# --- conversations kept in memory between turns --------------------------------------------------

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted  # noqa: E402
from rasa.shared.core.trackers import EventVerbosity  # noqa: E402

TEXTS = ["hei", "ring meg på 412 34 567", "jeg vil bli tømrer", "vet ikke", "mailen min er ola@example.no"]


def a_turn(tracker: DialogueStateTracker, n: int) -> None:
    """What one turn adds: the user's message, the bot's action, a slot, its answer."""
    tracker.update(UserUttered(TEXTS[n % len(TEXTS)], intent={"name": "affirm", "confidence": 0.9}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(SlotSet("retention_days", 30 + n))
    tracker.update(BotUttered(f"svar nummer {n}"))
    tracker.update(ActionExecuted("action_listen"))


async def read_fresh(store: ConsentTrackerStore, sender: str) -> DialogueStateTracker | None:
    """The conversation as a server that has never seen it reads it from the database."""
    fresh = ConsentTrackerStore(domain=DOMAIN, host=str(store.engine.url))
    try:
        return await fresh.retrieve(sender)
    finally:
        fresh.engine.dispose()


def same(a: DialogueStateTracker | None, b: DialogueStateTracker | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.current_state(EventVerbosity.ALL) == b.current_state(EventVerbosity.ALL) and a.past_states(
        DOMAIN
    ) == b.past_states(DOMAIN)


@pytest.fixture
def database_reads(monkeypatch) -> list[tuple[SQLTrackerStore, str]]:
    """Every time a store reads a conversation from the database (Rasa's own read), and which store."""
    reads: list[tuple[SQLTrackerStore, str]] = []
    rasa_retrieve = SQLTrackerStore.retrieve

    async def counting_retrieve(self, sender_id):
        reads.append((self, sender_id))
        return await rasa_retrieve(self, sender_id)

    monkeypatch.setattr(SQLTrackerStore, "retrieve", counting_retrieve)
    return reads


async def test_every_turn_reads_exactly_what_the_database_holds(store, database_reads):
    tracker = conversation("long", True)
    await store.save(tracker)
    for n in range(25):
        tracker = await store.retrieve("long")
        a_turn(tracker, n)
        await store.save(tracker)
        assert same(await store.retrieve("long"), await read_fresh(store, "long"))

    assert [sender for reader, sender in database_reads if reader is store] == ["long"]  # once, at the start
    kept = await store.retrieve("long")
    assert "412 34 567" not in str(kept.current_state(EventVerbosity.ALL))  # redacted, as stored
    assert "ola@example.no" not in str(kept.current_state(EventVerbosity.ALL))


async def test_a_conversation_read_once_is_kept_even_with_the_cache_almost_full(tmp_path, monkeypatch, database_reads):
    monkeypatch.setenv("VEIVALG_TRACKER_CACHE_EVENTS", "60")
    get_settings.cache_clear()
    small = ConsentTrackerStore(domain=DOMAIN, host=f"sqlite:///{tmp_path / 'small.db'}")
    await small.save(conversation("once", True))
    for n in range(8):
        tracker = await small.retrieve("once")
        a_turn(tracker, n)
        await small.save(tracker)

    assert [sender for _, sender in database_reads] == ["once"]
    # Past the limit (60 events), the conversation is no longer kept: every turn reads the database, correctly.
    for n in range(8, 16):
        tracker = await small.retrieve("once")
        a_turn(tracker, n)
        await small.save(tracker)
    assert len(database_reads) > 1 and small.cache.events == 0
    assert same(await small.retrieve("once"), await read_fresh(small, "once"))


async def test_a_turn_handled_by_another_server_is_seen(store):
    await store.save(conversation("moved", True))
    mine = await store.retrieve("moved")
    a_turn(mine, 0)
    await store.save(mine)

    other = ConsentTrackerStore(domain=DOMAIN, host=str(store.engine.url))
    theirs = await other.retrieve("moved")
    assert theirs is not None
    a_turn(theirs, 1)
    await other.save(theirs)

    assert same(await store.retrieve("moved"), await read_fresh(store, "moved"))
    now = await store.retrieve("moved")
    assert now is not None and len(now.events) == len(theirs.events)


async def test_a_conversation_deleted_elsewhere_is_gone_here_too(store):
    await store.save(conversation("gone", True))
    assert await store.retrieve("gone") is not None

    ConsentTrackerStore(domain=DOMAIN, host=str(store.engine.url)).delete_stored("gone")

    assert await store.retrieve("gone") is None


async def test_a_new_session_reads_as_the_database_gives_it(store):
    tracker = conversation("session", True)
    await store.save(tracker)
    tracker = await store.retrieve("session")
    a_turn(tracker, 0)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(SlotSet(CONSENT_SLOT, True))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    tracker = await store.retrieve("session")
    a_turn(tracker, 1)
    await store.save(tracker)

    assert same(await store.retrieve("session"), await read_fresh(store, "session"))


async def test_without_consent_the_store_gives_back_what_rasas_memory_store_would(store):
    memory = InMemoryTrackerStore(DOMAIN)
    tracker = conversation("nosave", None)
    for n in range(6):
        a_turn(tracker, n)
        if n == 3:
            tracker.update(ActionExecuted("action_session_start"))
            tracker.update(SessionStarted())
        await store.save(tracker)
        await memory.save(tracker)
        assert same(await store.retrieve("nosave"), await memory.retrieve("nosave"))
        assert same(await store.retrieve_full_tracker("nosave"), await memory.retrieve_full_tracker("nosave"))
        tracker = await store.retrieve("nosave")
    assert stored_rows(store, "nosave") == 0


async def test_what_a_turn_changes_does_not_change_the_kept_conversation(store):
    await store.save(conversation("kept", True))
    first = await store.retrieve("kept")
    first.update(SlotSet(CONSENT_SLOT, False))
    first.update(UserUttered("dette ble aldri lagret"))

    again = await store.retrieve("kept")

    assert again.get_slot(CONSENT_SLOT) is True
    assert "dette ble aldri lagret" not in [getattr(e, "text", None) for e in again.events]


def lock_the_database(store: ConsentTrackerStore, seconds: float):
    """Another program holds the write lock of the conversation database for a while (as a big purge does)."""
    import threading

    locker = sqlite3.connect(store.engine.url.database, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")

    def release() -> None:
        locker.execute("COMMIT")
        locker.close()

    timer = threading.Timer(seconds, release)
    timer.start()
    return timer


async def test_a_locked_database_costs_a_wait_not_a_turn(store):
    await store.save(conversation("locked", True))
    tracker = await store.retrieve("locked")
    a_turn(tracker, 0)
    timer = lock_the_database(store, 1.5)

    await store.save(tracker)

    timer.join()
    assert "locked" not in tracker_store.UNREADABLE
    assert same(await store.retrieve("locked"), await read_fresh(store, "locked"))
    assert stored_rows(store, "locked") == len(tracker.events)


async def test_a_database_locked_too_long_is_said_honestly_and_loses_nothing(store):
    await store.save(conversation("stuck", True))
    rows = stored_rows(store, "stuck")
    tracker = await store.retrieve("stuck")
    a_turn(tracker, 0)
    store.retry_seconds = 0.5
    timer = lock_the_database(store, 3)

    with pytest.raises(tracker_store.StoreUnavailable):
        await store.save(tracker)

    timer.join()
    assert "stuck" in tracker_store.UNREADABLE  # the channel answers «Beklager, noe gikk galt»
    assert stored_rows(store, "stuck") == rows
    tracker_store.UNREADABLE.discard("stuck")
    again = await store.retrieve("stuck")
    a_turn(again, 1)
    await store.save(again)
    assert same(await store.retrieve("stuck"), await read_fresh(store, "stuck"))
