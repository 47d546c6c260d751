"""A fork is an independent copy that shares only the events; the cache is bounded and forgets idle ones."""

from __future__ import annotations

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from bot.paths import PROJECT_ROOT
from bot.rasa_adapter import tracker_cache
from bot.rasa_adapter.tracker_cache import ConversationCache, Kept, appended_events, fork

DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
FORM = sorted(DOMAIN.form_names)[0]


def conversation(sender: str = "s", turns: int = 3) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for n in range(turns):
        tracker.update(ActionExecuted("action_listen"))
        tracker.update(UserUttered(f"melding {n}", intent={"name": "affirm", "confidence": 1.0}))
        tracker.update(SlotSet("consent_to_store", True))
        tracker.update(BotUttered(f"svar {n}"))
    tracker.update(ActiveLoop(FORM))
    tracker.model_id = "modell"
    return tracker


def test_a_fork_is_the_same_conversation():
    tracker = conversation()

    copy = fork(tracker)

    assert copy.current_state(EventVerbosity.ALL) == tracker.current_state(EventVerbosity.ALL)
    assert copy.past_states(DOMAIN) == tracker.past_states(DOMAIN)
    assert copy.model_id == "modell" and copy.active_loop_name == FORM


def test_changing_a_fork_leaves_the_original_alone():
    tracker = conversation()
    before = tracker.current_state(EventVerbosity.ALL)

    copy = fork(tracker)
    copy.update(SlotSet("consent_to_store", False))
    copy.update(ActiveLoop(None))
    copy.update(UserUttered("noe nytt"))
    copy.slots["retention_days"].value = 7

    assert tracker.current_state(EventVerbosity.ALL) == before
    assert len(copy.events) == len(tracker.events) + 3


def test_a_fork_shares_the_events_themselves():
    tracker = conversation()

    copy = fork(tracker)

    assert all(a is b for a, b in zip(copy.events, tracker.events, strict=True))
    assert copy.latest_message is tracker.latest_message
    assert copy.slots["consent_to_store"] is not tracker.slots["consent_to_store"]


def test_appended_events_are_what_a_turn_added():
    kept = conversation()
    turn = fork(kept)
    added = [UserUttered("hei"), BotUttered("hei hei")]
    for event in added:
        turn.update(event)

    assert appended_events(kept, turn) == added
    assert appended_events(kept, fork(kept)) == []


def test_a_conversation_that_did_not_grow_from_the_kept_one_has_no_appended_events():
    kept = conversation(turns=3)

    assert appended_events(kept, conversation(turns=4)) is None  # same texts, other event objects
    assert appended_events(kept, conversation(turns=1)) is None


def test_the_cache_forgets_the_least_recently_used_when_it_holds_too_many_events():
    cache = ConversationCache(max_events=40, max_idle_seconds=60)
    for sender in ("a", "b", "c"):
        cache.put(sender, Kept(conversation(sender, turns=4)))  # 17 events each
    assert "a" not in cache and "b" in cache and "c" in cache
    assert cache.events == 34

    cache.get("b")
    cache.put("d", Kept(conversation("d", turns=1)))  # 5 events: 39 in all
    assert list(cache.senders()) == ["c", "b", "d"]


def test_a_conversation_too_large_for_the_cache_is_not_kept():
    cache = ConversationCache(max_events=10, max_idle_seconds=60)

    cache.put("big", Kept(conversation("big", turns=4)))

    assert "big" not in cache and cache.events == 0


def test_growth_is_counted_and_can_push_others_out():
    cache = ConversationCache(max_events=40, max_idle_seconds=60)
    cache.put("a", Kept(conversation("a", turns=4)))
    cache.put("b", Kept(conversation("b", turns=4)))
    kept = cache.get("b")
    assert kept is not None

    for n in range(8):
        kept.tracker.update(BotUttered(f"mer {n}"))
    cache.grew("b", 8)

    assert "a" not in cache and cache.events == 25


def test_idle_conversations_are_forgotten(monkeypatch):
    cache = ConversationCache(max_events=100, max_idle_seconds=60)
    now = [1000.0]
    monkeypatch.setattr(tracker_cache.time, "monotonic", lambda: now[0])
    cache.put("a", Kept(conversation("a")))
    now[0] += 30
    cache.put("b", Kept(conversation("b")))
    now[0] += 45

    assert cache.get("a") is None
    assert cache.drop_idle() == []
    now[0] += 60
    assert cache.drop_idle() == ["b"] and cache.events == 0


def test_a_cache_of_size_zero_keeps_nothing():
    cache = ConversationCache(max_events=0, max_idle_seconds=60)

    cache.put("a", Kept(conversation("a")))

    assert len(cache) == 0
