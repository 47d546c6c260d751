"""How often one client may open conversations and one conversation may write, read aloud or listen."""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 20000  # the oldest buckets are forgotten first, so the table itself stays small


@dataclass(frozen=True)
class Rate:
    """`burst` at once, then `per_minute` on average."""

    burst: int
    per_minute: float


# Generous for a person, far below a script: a user types a message every few seconds at most.
MESSAGES_PER_CONVERSATION = Rate(burst=15, per_minute=30)
SPEECH_PER_CONVERSATION = Rate(burst=10, per_minute=20)
STREAMS_PER_CONVERSATION = 3


class RateLimiter:
    """Token buckets by key, in this process's memory."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._streams: dict[str, set[str]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, rate: Rate) -> bool:
        """Take one token for `key`; False when the bucket is empty."""
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(rate.burst), now))
            tokens = min(float(rate.burst), tokens + (now - last) * rate.per_minute / 60.0)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > MAX_KEYS:
                self._buckets.popitem(last=False)
            return allowed

    def open_stream(self, key: str, limit: int = STREAMS_PER_CONVERSATION) -> str | None:
        """Count an open event stream; its handle, or None when `limit` are open already."""
        with self._lock:
            streams = self._streams.setdefault(key, set())
            if len(streams) >= limit:
                return None
            handle = secrets.token_hex(8)
            streams.add(handle)
            return handle

    def keep_stream(self, key: str, handle: str) -> None:
        """The stream is still open (in one process there is nothing to renew)."""

    def close_stream(self, key: str, handle: str) -> None:
        with self._lock:
            streams = self._streams.get(key, set())
            streams.discard(handle)
            if not streams:
                self._streams.pop(key, None)
