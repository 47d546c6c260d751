"""Conversations kept in memory between turns, so a long conversation is not read and replayed every turn."""

from __future__ import annotations

import copy
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

# Attributes of a tracker that hold events; events are never changed once they are in a tracker.
_EVENT_ATTRIBUTES = ("latest_message", "latest_bot_utterance")


def fork(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A copy to change freely: the events are shared, everything else (slots, loop, flags) is copied.

    Rasa's own `tracker.copy()` replays every event; this costs a list copy and the slots.
    """
    memo: dict[int, Any] = {id(event): event for event in tracker.events}
    clone = object.__new__(type(tracker))
    for name, value in vars(tracker).items():
        if name == "events":
            copied: Any = deque(value, maxlen=value.maxlen)
        elif name == "slots":
            copied = type(value)()
            copied.update((key, _copy_slot(slot, memo)) for key, slot in value.items())
        elif name in _EVENT_ATTRIBUTES or isinstance(value, Event):
            copied = value
        else:
            copied = copy.deepcopy(value, memo)
        setattr(clone, name, copied)
    return clone


_SLOT_DEFINITION = frozenset({"mappings", "values"})  # from the domain; Rasa never changes them in a conversation
_ATOMIC = (str, int, float, type(None))


def _copy_slot(slot: Any, memo: dict[int, Any]) -> Any:
    copied = copy.copy(slot)
    copied.__dict__.update({
        key: value if isinstance(value, _ATOMIC) else copy.deepcopy(value, memo)
        for key, value in vars(slot).items() if key not in _SLOT_DEFINITION
    })
    return copied


def appended_events(kept: DialogueStateTracker, tracker: DialogueStateTracker) -> list[Event] | None:
    """The events `tracker` has beyond `kept`, when it is `kept` with events added; otherwise None."""
    old, new = kept.events, tracker.events
    if len(new) < len(old) or new.maxlen is not None:
        return None
    if old and new[len(old) - 1] is not old[-1]:
        return None
    return [new[i] for i in range(len(old), len(new))]


@dataclass
class Kept:
    """One conversation as the store last saw it."""

    tracker: DialogueStateTracker
    rows: int = 0  # stored rows of this conversation (all sessions), to check against the database
    newest_id: int | None = None  # id of the newest stored row
    seen: float = 0.0  # time.monotonic() of the latest use
    full: DialogueStateTracker | None = None  # without consent: every event Rasa saved, all sessions

    @property
    def size(self) -> int:
        return len(self.tracker.events)


class ConversationCache:
    """Least recently used conversations, bounded by their number of events and by idle time."""

    def __init__(self, max_events: int, max_idle_seconds: float) -> None:
        self.max_events = max_events
        self.max_idle_seconds = max_idle_seconds
        self._kept: OrderedDict[str, Kept] = OrderedDict()
        self._events = 0

    def __contains__(self, sender_id: object) -> bool:
        return sender_id in self._kept

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def events(self) -> int:
        return self._events

    def get(self, sender_id: str) -> Kept | None:
        kept = self._kept.get(sender_id)
        if kept is None:
            return None
        if time.monotonic() - kept.seen > self.max_idle_seconds:
            self.drop(sender_id)
            return None
        self._kept.move_to_end(sender_id)
        kept.seen = time.monotonic()
        return kept

    def put(self, sender_id: str, kept: Kept) -> None:
        self.drop(sender_id)
        if kept.size > self.max_events:
            return
        kept.seen = time.monotonic()
        self._kept[sender_id] = kept
        self._events += kept.size
        while self._events > self.max_events:
            oldest = next(iter(self._kept))
            self.drop(oldest)

    def grew(self, sender_id: str, added: int) -> None:
        """Account for `added` events appended to a kept conversation."""
        if sender_id in self._kept:
            self._events += added
            if self._kept[sender_id].size > self.max_events:
                self.drop(sender_id)
            while self._events > self.max_events and len(self._kept) > 1:
                self.drop(next(iter(self._kept)))

    def drop(self, sender_id: str) -> None:
        kept = self._kept.pop(sender_id, None)
        if kept is not None:
            self._events -= kept.size

    def drop_idle(self) -> list[str]:
        """Forget conversations not used for max_idle_seconds; return their ids."""
        limit = time.monotonic() - self.max_idle_seconds
        idle = [sender for sender, kept in self._kept.items() if kept.seen < limit]
        for sender in idle:
            self.drop(sender)
        return idle

    def senders(self) -> Iterable[str]:
        return list(self._kept)
