"""Rasa's dialogue history (applied events, states for the policies) carried forward instead of replayed.

Rasa 3.6 rebuilds both from the first event of the session every time a policy predicts, several times
per turn, so a turn costs more the longer the conversation is. The functions here give exactly the same
results: they remember how far they got and continue from there while the conversation only grew, and
start from a remembered earlier point (or from the beginning) when it did not.
"""

from __future__ import annotations

import operator
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from rasa.shared.constants import DEFAULT_SENDER_ID
from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_adapter.tracker_cache import fork

_APPLIED = "_veivalg_applied"
SNAPSHOT_EVERY = 16  # applied events between two remembered points of a history
SNAPSHOTS_KEPT = 8
# Remembered states in all (about 1.5 KiB each): a conversation of 30 turns has about 140 per way of asking.
STATES_KEPT = 50_000
IDLE_SECONDS = 60 * 60


# --- applied events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Applied:
    """How far `applied_events` got on one tracker; shared by forks, never changed."""

    count: int
    last: Event | None
    loop_names: frozenset[str]
    applied: tuple[Event, ...]

    def __deepcopy__(self, memo: dict[int, Any]) -> _Applied:
        return self


def applied_events(tracker: DialogueStateTracker) -> list[Event]:
    """`DialogueStateTracker.applied_events`, continued from the last call while the tracker only grew."""
    events = tracker.events
    known: _Applied | None = tracker.__dict__.get(_APPLIED)
    if known is not None and _grew_from(tracker, known):
        new = list(islice(events, known.count, None))
        names = {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        if names <= known.loop_names:
            applied = _apply(tracker, list(known.applied), new, known.loop_names)
            _remember_applied(tracker, known.loop_names, applied)
            return applied
    loop_names = frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)
    applied = _apply(tracker, [], list(events), loop_names)
    _remember_applied(tracker, loop_names, applied)
    return applied


def _grew_from(tracker: DialogueStateTracker, known: _Applied) -> bool:
    events = tracker.events
    if events.maxlen is not None or len(events) < known.count:
        return False
    return known.count == 0 or events[known.count - 1] is known.last


def _remember_applied(tracker: DialogueStateTracker, loop_names: frozenset[str], applied: list[Event]) -> None:
    events = tracker.events
    tracker.__dict__[_APPLIED] = _Applied(len(events), events[-1] if events else None, loop_names, tuple(applied))


def _apply(
    tracker: DialogueStateTracker, applied: list[Event], new: list[Event], loop_names: frozenset[str]
) -> list[Event]:
    """The loop of Rasa 3.6's `applied_events`, over `new`, on top of what was already applied."""
    for event in new:
        if isinstance(event, (Restarted, SessionStarted)):
            applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    return applied


# --- states for the policies -----------------------------------------------------------------------


@dataclass
class _Point:
    """A replay of the applied events up to `position`, with the states made on the way."""

    position: int
    replay: DialogueStateTracker
    states: int  # how many of the history's states were made up to here
    last_ml_action: Any = None
    turn_was_hidden: bool = False

    def copy(self) -> _Point:
        return _Point(self.position, fork(self.replay), self.states, self.last_ml_action, self.turn_was_hidden)


@dataclass
class _History:
    domain: Domain  # kept alive, so that its id in the key cannot be reused by another domain
    applied: list[Event]
    states: list[State]
    head: _Point
    snapshots: list[_Point] = field(default_factory=list)
    used: float = 0.0
    # For each remembered state: the user message it shows and how that message was to be featurized then.
    # Rasa changes that setting on the message object itself (DefinePrevUserUtteredFeaturization, right after
    # an action_listen), so a state made before such a change is no longer what Rasa's replay makes.
    made_with: list[tuple[UserUttered | None, bool | None]] = field(default_factory=list)
    counted: int = 0  # how many of its states are in _COUNTED

    def outdated(self) -> bool:
        """Whether a remembered state shows a user message whose featurization has changed since."""
        return any(message is not None and message.use_text_for_featurization is not flag
                   for message, flag in self.made_with)


_HISTORIES: OrderedDict[tuple[Any, ...], _History] = OrderedDict()
_COUNTED = [0]  # states remembered in all histories, kept up to date instead of summed at every call


def states_for_tracker_history(
    domain: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """`Domain.states_for_tracker_history`, continued from the last call for this conversation."""
    key = (
        tracker.sender_id, id(domain), tuple(tracker.slots), tracker.is_rule_tracker,
        omit_unset_slots, ignore_rule_only_turns, frozen(rule_only_data),
    )
    applied = tracker.applied_events()
    history = _HISTORIES.get(key)
    if history is None:
        history = _History(domain, [], [], _Point(0, _blank_replay(tracker), 0))
    else:
        _HISTORIES.move_to_end(key)
        _rewind(history, _common_prefix(history.applied, applied), tracker)
    step = _Stepper(domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    _continue(history, applied, step)
    if history.outdated():  # never in Rasa's own order of events, where it is set before a state shows it
        history = _History(domain, [], [], _Point(0, _blank_replay(tracker), 0))
        _continue(history, applied, step)
    head = history.head
    head.states = len(history.states)
    history.used = time.monotonic()
    replaced = _HISTORIES.get(key)
    if replaced is not None and replaced is not history:
        _COUNTED[0] -= replaced.counted
    _HISTORIES[key] = history
    _COUNTED[0] += len(history.states) - history.counted
    history.counted = len(history.states)
    _forget_old_histories()
    # The last state (the conversation as it is now) is made fresh each time and not remembered.
    states = [_copy_state(state) for state in history.states]
    end = _Point(head.position, head.replay, len(states), head.last_ml_action, head.turn_was_hidden)
    step(end, states, False)
    return states


def _continue(history: _History, applied: list[Event], step: _Stepper) -> None:
    """Make the states of the applied events after the history's head, as Rasa's loop does."""
    head = history.head
    for event in islice(applied, head.position, None):
        if isinstance(event, ActionExecuted):
            made = len(history.states)
            step(head, history.states, event.hide_rule_turn)
            if len(history.states) > made:
                message = head.replay.latest_message
                history.made_with.append((message, message.use_text_for_featurization if message else None))
        head.replay.update(event)
        head.position += 1
        history.applied.append(event)
        if head.position % SNAPSHOT_EVERY == 0:
            head.states = len(history.states)
            history.snapshots = [*history.snapshots[-(SNAPSHOTS_KEPT - 1):], head.copy()]


def forget_histories() -> None:
    """Drop every remembered history."""
    _HISTORIES.clear()
    _COUNTED[0] = 0


def remembered_states() -> int:
    return _COUNTED[0]


def _forget_old_histories() -> None:
    """Least recently used first, until at most STATES_KEPT states are remembered; and any idle for an hour."""
    limit = time.monotonic() - IDLE_SECONDS
    while _HISTORIES:
        key, oldest = next(iter(_HISTORIES.items()))
        if _COUNTED[0] <= STATES_KEPT and oldest.used >= limit:
            break
        _COUNTED[0] -= oldest.counted
        del _HISTORIES[key]


def _blank_replay(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """Like `tracker.init_copy()`, keeping only the latest event: the states need no more."""
    return DialogueStateTracker(
        tracker.sender_id or DEFAULT_SENDER_ID,
        tracker.slots.values(),
        max_event_history=1,
        is_rule_tracker=tracker.is_rule_tracker,
    )


def _common_prefix(known: list[Event], applied: list[Event]) -> int:
    """How many leading events the two lists share (the very same event objects)."""
    same = list(map(operator.is_, known, applied))
    return same.index(False) if False in same else len(same)


def _rewind(history: _History, keep: int, tracker: DialogueStateTracker) -> None:
    """Go back to the latest remembered point within the first `keep` applied events."""
    if keep >= history.head.position:
        return
    points = [p for p in history.snapshots if p.position <= keep]
    history.snapshots = points
    point = points[-1].copy() if points else _Point(0, _blank_replay(tracker), 0)
    history.head = point
    del history.applied[point.position:]
    del history.states[point.states:]
    del history.made_with[point.states:]


class _Stepper:
    """One step of the loop of Rasa 3.6's `Domain.states_for_tracker_history`."""

    def __init__(
        self,
        domain: Domain,
        omit_unset_slots: bool,
        ignore_rule_only_turns: bool,
        rule_only_data: dict[str, Any] | None,
    ) -> None:
        self.domain = domain
        self.omit_unset_slots = omit_unset_slots
        self.ignore_rule_only_turns = ignore_rule_only_turns
        self.rule_only_data = rule_only_data

    def __call__(self, point: _Point, states: list[State], hide_rule_turn: bool) -> None:
        domain, tr = self.domain, point.replay
        if self.ignore_rule_only_turns:
            if not point.turn_was_hidden:
                point.last_ml_action = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and tr.latest_action_name != tr.active_loop_name:
                point.turn_was_hidden = hide_rule_turn
            if point.turn_was_hidden:
                return
        state = domain.get_active_state(tr, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if states:
                domain._substitute_rule_only_user_input(state, states[-1])
            if point.last_ml_action:
                state[PREVIOUS_ACTION] = point.last_ml_action
        states.append(domain._clean_state(state))


def _copy_state(state: State) -> State:
    """A copy the policies may change (they delete keys in place) without touching the remembered one."""
    return {kind: dict(sub_state) for kind, sub_state in state.items()}


def frozen(value: Any) -> Any:
    """A hashable copy of states or rule data (dicts, lists, tuples, sets of plain values), order of keys ignored."""
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(frozen(v) for v in value)
    return value
