"""The carried-forward history gives exactly what Rasa 3.6 gives when it replays the whole conversation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    BotUttered,
    DefinePrevUserUtteredFeaturization,
    Event,
    FollowupAction,
    LoopInterrupted,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.paths import PROJECT_ROOT
from bot.rasa_adapter import dialogue_history
from bot.rasa_adapter import speedups as rasa_speedups
from bot.rasa_adapter.tracker_cache import fork

DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
FORMS = sorted(DOMAIN.form_names)
INTENTS = sorted(DOMAIN.intents)[:12]
ACTIONS = sorted(a for a in DOMAIN.user_actions if a.startswith(("action_", "utter_", "validate_")))[:16] + FORMS
SLOTS = [slot for slot in DOMAIN.slots if slot.name not in ("requested_slot",)][:10]
# The policies ask in these ways (RulePolicy with its rule-only data, TED and memoization without).
RULE_ONLY = {"slots": [SLOTS[0].name], "active_loops": FORMS[:1]}
ASKS: list[dict[str, Any]] = [
    {},
    {"omit_unset_slots": True},
    {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
]


@contextmanager
def rasa_as_shipped() -> Iterator[None]:
    """Rasa's own applied_events and states_for_tracker_history, whatever apply() did in this process."""
    saved = {
        (DialogueStateTracker, "applied_events"): DialogueStateTracker.__dict__["applied_events"],
        (Domain, "states_for_tracker_history"): Domain.__dict__["states_for_tracker_history"],
    }
    for (owner, name), _ in saved.items():
        original = rasa_speedups.ORIGINALS.get((owner, name), owner.__dict__[name])
        setattr(owner, name, original)
    try:
        yield
    finally:
        for (owner, name), value in saved.items():
            setattr(owner, name, value)


@contextmanager
def carried_forward() -> Iterator[None]:
    saved = (DialogueStateTracker.__dict__["applied_events"], Domain.__dict__["states_for_tracker_history"])
    DialogueStateTracker.applied_events = dialogue_history.applied_events
    Domain.states_for_tracker_history = dialogue_history.states_for_tracker_history
    try:
        yield
    finally:
        DialogueStateTracker.applied_events, Domain.states_for_tracker_history = saved


def as_rasa_does(tracker: DialogueStateTracker) -> tuple[list[Event], list[list[Any]]]:
    with rasa_as_shipped():
        copy = fork(tracker)
        copy.__dict__.pop("_veivalg_applied", None)
        return copy.applied_events(), [DOMAIN.states_for_tracker_history(copy, **ask) for ask in ASKS]


def as_veivalg_does(tracker: DialogueStateTracker) -> tuple[list[Event], list[list[Any]]]:
    with carried_forward():
        return tracker.applied_events(), [DOMAIN.states_for_tracker_history(tracker, **ask) for ask in ASKS]


def slot_values(slot: Any) -> list[Any]:
    values = getattr(slot, "values", None)
    if values:
        return [None, *values[:2]]
    if slot.type_name == "bool":
        return [None, True, False]
    if slot.type_name in ("float",):
        return [None, 1.0]
    if slot.type_name == "list":
        return [None, ["tømrer"]]
    return [None, "tømrer"]


def user_message(intent: str, with_entity: bool) -> UserUttered:
    entities = [{"entity": "occupation", "value": "tømrer", "start": 0, "end": 6}] if with_entity else []
    return UserUttered("tømrer", intent={"name": intent, "confidence": 0.9}, entities=entities)


events = st.one_of(
    st.builds(user_message, st.sampled_from(INTENTS), st.booleans()),
    st.builds(ActionExecuted, st.sampled_from(["action_listen", *ACTIONS])),
    st.builds(
        lambda name, hide: ActionExecuted(name, hide_rule_turn=hide), st.sampled_from(ACTIONS), st.booleans()
    ),
    st.sampled_from(SLOTS).flatmap(
        lambda slot: st.builds(SlotSet, st.just(slot.name), st.sampled_from(slot_values(slot)))
    ),
    st.builds(ActiveLoop, st.sampled_from([*FORMS, None])),
    st.builds(LoopInterrupted, st.booleans()),
    st.builds(ActionExecutionRejected, st.sampled_from(FORMS)),
    st.builds(FollowupAction, st.sampled_from(ACTIONS)),
    st.builds(BotUttered, st.just("Hei")),
    st.builds(DefinePrevUserUtteredFeaturization, st.booleans()),
    st.just(UserUtteranceReverted()),
    st.just(ActionReverted()),
    st.just(Restarted()),
    st.just(SessionStarted()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(events, min_size=1, max_size=6), min_size=1, max_size=14), st.data())
def test_every_turn_of_a_growing_conversation_gives_rasas_own_history(turns, data):
    dialogue_history.forget_histories()
    sender = f"c{data.draw(st.integers(0, 3))}"
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for turn in turns:
        for event in turn:
            tracker.update(event)
        # Rasa hands every turn a copy; sometimes the policies look at a branch that is then dropped.
        tracker = fork(tracker)
        if data.draw(st.booleans()):
            branch = fork(tracker)
            for event in data.draw(st.lists(events, max_size=3)):
                branch.update(event)
            assert as_veivalg_does(branch) == as_rasa_does(branch)
        assert as_veivalg_does(tracker) == as_rasa_does(tracker)


def add_turn(tracker: DialogueStateTracker, n: int) -> None:
    """One ordinary turn: the user, an action, a slot, an answer."""
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(user_message(INTENTS[n % len(INTENTS)], with_entity=n % 3 == 0))
    tracker.update(ActionExecuted(ACTIONS[n % len(ACTIONS)]))
    tracker.update(SlotSet(SLOTS[n % len(SLOTS)].name, slot_values(SLOTS[n % len(SLOTS)])[-1]))
    tracker.update(BotUttered(f"svar {n}"))


def test_a_long_conversation_reread_from_its_events_still_gives_rasas_history():
    dialogue_history.forget_histories()
    tracker = DialogueStateTracker("long", DOMAIN.slots)
    for n in range(120):
        add_turn(tracker, n)
        if n % 10 == 9:
            # As after a read from the database: the same conversation, but every event a new object.
            tracker = DialogueStateTracker.from_dict("long", [e.as_dict() for e in tracker.events], DOMAIN.slots)
        assert as_veivalg_does(tracker) == as_rasa_does(tracker)


def test_the_policies_may_change_the_states_they_get_without_changing_the_next_answer():
    dialogue_history.forget_histories()
    tracker = DialogueStateTracker("mutate", DOMAIN.slots)
    for n in range(5):
        add_turn(tracker, n)
    with carried_forward():
        for state in DOMAIN.states_for_tracker_history(tracker):
            state.clear()
    assert as_veivalg_does(tracker) == as_rasa_does(tracker)


def test_applied_events_start_over_when_a_new_form_appears():
    tracker = DialogueStateTracker("loops", DOMAIN.slots)
    form = FORMS[0]
    for event in [ActionExecuted("action_listen"), user_message(INTENTS[0], False), ActionExecuted(form)]:
        tracker.update(event)
    with carried_forward():
        tracker.applied_events()
    # The form becomes active only now: Rasa's rule for repeated form runs now applies to the earlier run too.
    later = [ActiveLoop(form), ActionExecuted("action_listen"), user_message(INTENTS[1], False), ActionExecuted(form)]
    for event in later:
        tracker.update(event)
    assert as_veivalg_does(tracker) == as_rasa_does(tracker)


def remember(sender: str, turns: int) -> None:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    for n in range(turns):
        add_turn(tracker, n)
    with carried_forward():
        DOMAIN.states_for_tracker_history(tracker)


def test_remembered_states_are_bounded_least_recently_used_first(monkeypatch):
    monkeypatch.setattr(dialogue_history, "STATES_KEPT", 25)
    dialogue_history.forget_histories()
    for sender in ("a", "b", "c"):
        remember(sender, 5)  # 10 remembered states each

    assert [key[0] for key in dialogue_history._HISTORIES] == ["b", "c"]
    assert dialogue_history.remembered_states() == 20


def test_idle_histories_are_forgotten(monkeypatch):
    dialogue_history.forget_histories()
    now = [1000.0]
    monkeypatch.setattr(dialogue_history.time, "monotonic", lambda: now[0])
    remember("old", 3)
    now[0] += dialogue_history.IDLE_SECONDS + 1
    remember("new", 3)

    assert [key[0] for key in dialogue_history._HISTORIES] == ["new"]


def test_a_message_featurized_differently_after_its_states_were_made_is_shown_as_rasa_shows_it_now():
    dialogue_history.forget_histories()
    tracker = DialogueStateTracker("late-featurization", DOMAIN.slots)
    for event in (ActionExecuted("action_listen"), user_message(INTENTS[0], False), ActionExecuted("action_listen"),
                  ActionExecuted("action_listen")):
        tracker.update(event)
    assert as_veivalg_does(tracker) == as_rasa_does(tracker)  # a state showing the message is remembered
    assert "text" in as_rasa_does(tracker)[1][0][-2]["user"]

    tracker.update(DefinePrevUserUtteredFeaturization(False))  # changes the message object itself
    tracker.update(ActionExecuted(ACTIONS[0]))

    veivalg, rasa = as_veivalg_does(tracker), as_rasa_does(tracker)
    assert veivalg == rasa
    assert all("text" not in state.get("user", {}) for state in rasa[1][0])


def test_the_count_of_remembered_states_is_what_the_histories_hold():
    dialogue_history.forget_histories()
    trackers = [DialogueStateTracker(f"count-{n}", DOMAIN.slots) for n in range(3)]
    for turn in range(4):
        for tracker in trackers:
            add_turn(tracker, turn)
            as_veivalg_does(tracker)
        branch = fork(trackers[0])  # a branch with fewer events rewinds the same history
        branch.update(UserUtteranceReverted())
        as_veivalg_does(branch)

    held = sum(len(history.states) for history in dialogue_history._HISTORIES.values())
    assert dialogue_history.remembered_states() == held > 0
