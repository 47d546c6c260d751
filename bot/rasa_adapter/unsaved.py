"""Conversations without consent: kept in this process's memory, or in Redis that every Rasa server shares.

Nothing here is ever written to disk: the embedded profile keeps them in a dict; the scaled profile in a
Redis without persistence (`deploy/redis.conf.j2`), each key expiring after the idle time, so a message
can reach any Rasa server and the conversation goes on where it was (issue 20).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from rasa.shared.core.trackers import DialogueStateTracker, get_trackers_for_conversation_sessions

from bot.rasa_adapter.tracker_cache import Kept


def latest_session(full: DialogueStateTracker) -> DialogueStateTracker:
    """The conversation's latest session, as Rasa's in-memory store would give it back."""
    sessions = get_trackers_for_conversation_sessions(full)
    return full if len(sessions) <= 1 else sessions[-1]


class UnsavedConversations(Protocol):
    """Where conversations without consent live between turns."""

    def get(self, sender: str) -> Kept | None: ...

    def peek(self, sender: str) -> Kept | None: ...

    def put(self, sender: str, kept: Kept, limit: int) -> None: ...

    def pop(self, sender: str) -> None: ...

    def sweep(self, max_idle_seconds: float) -> None: ...

    def __contains__(self, sender: object) -> bool: ...

    def __iter__(self) -> Iterator[str]: ...


class InProcess:
    """In this process's memory: the embedded profile, one Rasa server."""

    def __init__(self) -> None:
        self._kept: dict[str, Kept] = {}

    def get(self, sender: str) -> Kept | None:
        kept = self._kept.get(sender)
        if kept is not None:
            kept.seen = time.monotonic()
        return kept

    def peek(self, sender: str) -> Kept | None:
        """The copy this process holds, as it was last kept; nothing is read and nothing counts as use."""
        return self._kept.get(sender)

    def put(self, sender: str, kept: Kept, limit: int) -> None:
        self._kept[sender] = kept
        if len(self._kept) > limit:
            oldest = min(self._kept, key=lambda s: self._kept[s].seen)
            del self._kept[oldest]  # bounded memory: the longest idle conversation is forgotten

    def pop(self, sender: str) -> None:
        self._kept.pop(sender, None)

    def sweep(self, max_idle_seconds: float) -> None:
        limit = time.monotonic() - max_idle_seconds
        for sender in [s for s, kept in self._kept.items() if kept.seen < limit]:
            del self._kept[sender]

    def __contains__(self, sender: object) -> bool:
        return sender in self._kept

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._kept))


class InRedis:
    """In Redis, shared by every Rasa server; a local copy is used while Redis holds the same bytes."""

    def __init__(self, client: Any, slots: Callable[[], Any], ttl_seconds: int, prefix: str = "veivalg") -> None:
        self.client = client
        self.slots = slots  # the domain's slots, known once Rasa has loaded the model
        self.ttl_seconds = ttl_seconds
        self.prefix = f"{prefix}:unsaved:"
        self._local: OrderedDict[str, tuple[bytes, Kept]] = OrderedDict()

    def _key(self, sender: str) -> str:
        return self.prefix + sender

    def get(self, sender: str) -> Kept | None:
        raw = self.client.getex(self._key(sender), ex=self.ttl_seconds)  # reading counts as use
        if raw is None:
            self._local.pop(sender, None)
            return None
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        local = self._local.get(sender)
        if local is not None and local[0] == digest:
            self._local.move_to_end(sender)
            local[1].seen = time.monotonic()
            return local[1]
        full = DialogueStateTracker.from_dict(sender, json.loads(raw), self.slots())
        kept = Kept(latest_session(full), full=full, seen=time.monotonic())
        self._local[sender] = (digest, kept)
        return kept

    def peek(self, sender: str) -> Kept | None:
        """The local copy, without asking Redis (it may be older than Redis's: callers must not rely on it)."""
        local = self._local.get(sender)
        return local[1] if local is not None else None

    def put(self, sender: str, kept: Kept, limit: int) -> None:
        full = kept.full or kept.tracker
        raw = json.dumps([event.as_dict() for event in full.events]).encode()
        self.client.set(self._key(sender), raw, ex=self.ttl_seconds)
        self._local[sender] = (hashlib.blake2b(raw, digest_size=16).digest(), kept)
        self._local.move_to_end(sender)
        while len(self._local) > limit:
            self._local.popitem(last=False)  # only the local copy; Redis keeps it until it expires

    def pop(self, sender: str) -> None:
        self.client.delete(self._key(sender))
        self._local.pop(sender, None)

    def sweep(self, max_idle_seconds: float) -> None:
        limit = time.monotonic() - max_idle_seconds
        for sender in [s for s, (_, kept) in self._local.items() if kept.seen < limit]:
            del self._local[sender]

    def __contains__(self, sender: object) -> bool:
        return isinstance(sender, str) and bool(self.client.exists(self._key(sender)))

    def __iter__(self) -> Iterator[str]:
        for key in self.client.scan_iter(match=self.prefix + "*"):
            yield (key.decode() if isinstance(key, bytes) else str(key))[len(self.prefix):]

