"""The chat's rate limits, stream tickets and per-conversation locks in Redis, shared by several web processes.

Each mirrors its one-process counterpart (`limits.RateLimiter`, `tickets.StreamTickets`,
`locks.ConversationLocks`) with the same answers, so a user gets the same limits and a ticket works
whichever web process nginx sends a request to. Keys live in the chat's Redis database and expire by
themselves: nothing is left behind when a web process dies.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bot.web.chat.hub_redis import PREFIX, SharedStateUnavailable
from bot.web.chat.limits import STREAMS_PER_CONVERSATION, Rate
from bot.web.chat.locks import ConversationLocks
from bot.web.chat.tickets import TICKET_SECONDS

logger = logging.getLogger(__name__)
STREAM_SECONDS = 60.0  # an open stream renews its place at each heartbeat (15 s); a dead process's lapse
LOCK_SECONDS = 10.0  # renewed every third of it while its turn runs; a dead process's lock lapses in 10 s
LOCK_POLL_SECONDS = 0.02

# KEYS: the bucket. ARGV: burst, per minute, now. 1 when a token was taken.
_TAKE = """
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'last')
local burst = tonumber(ARGV[1])
local per_minute = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tokens = tonumber(bucket[1]) or burst
local last = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - last) * per_minute / 60)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'last', ARGV[3])
redis.call('EXPIRE', KEYS[1], math.ceil(burst * 60 / per_minute) + 60)
return allowed
"""

# KEYS: the conversation's streams. ARGV: now, limit, handle, expiry. 1 when the stream may open.
_OPEN_STREAM = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('EXPIRE', KEYS[1], 3600)
return 1
"""

# KEYS: the lock. ARGV: the holder's token, milliseconds. Renews the lock only while this holder has it.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

# KEYS: the lock. ARGV: the holder's token. Deletes the lock only when this holder still has it.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


def _guarded(call: Callable[[], Any]) -> Any:
    from redis.exceptions import RedisError

    try:
        return call()
    except RedisError as exc:
        raise SharedStateUnavailable(str(exc)) from exc


class RedisRateLimiter:
    """Token buckets by key in Redis (one Lua script a request), and open event streams that lapse."""

    def __init__(self, client: Any, clock: Callable[[], float] = time.time, prefix: str = PREFIX) -> None:
        self._client = client
        self._clock = clock
        self._prefix = prefix
        self._take = client.register_script(_TAKE)
        self._open = client.register_script(_OPEN_STREAM)

    def allow(self, key: str, rate: Rate) -> bool:
        """Take one token for `key`; False when the bucket is empty."""
        return bool(_guarded(lambda: self._take(
            keys=[f"{self._prefix}rate:{key}"], args=[rate.burst, rate.per_minute, repr(self._clock())])))

    def open_stream(self, key: str, limit: int = STREAMS_PER_CONVERSATION) -> str | None:
        """Count an open event stream; its handle, or None when `limit` are open already."""
        handle = secrets.token_hex(8)
        now = self._clock()
        opened = _guarded(lambda: self._open(
            keys=[self._streams_key(key)], args=[repr(now), limit, handle, repr(now + STREAM_SECONDS)]))
        return handle if opened else None

    def keep_stream(self, key: str, handle: str) -> None:
        """The stream is still open: renew its place before it lapses."""
        _guarded(lambda: self._client.zadd(self._streams_key(key), {handle: self._clock() + STREAM_SECONDS}, xx=True))

    def close_stream(self, key: str, handle: str) -> None:
        _guarded(lambda: self._client.zrem(self._streams_key(key), handle))

    def _streams_key(self, key: str) -> str:
        return f"{self._prefix}streams:{key}"


class RedisTickets:
    """ticket → conversation id in Redis, each valid once and for half a minute, in any web process."""

    def __init__(self, client: Any, seconds: float = TICKET_SECONDS, prefix: str = PREFIX) -> None:
        self._client = client
        self._seconds = seconds
        self._prefix = prefix

    def issue(self, conversation_id: str) -> str:
        """A new ticket for this conversation."""
        ticket = secrets.token_urlsafe(24)
        _guarded(lambda: self._client.set(self._key(ticket), conversation_id, px=int(self._seconds * 1000)))
        return ticket

    def redeem(self, ticket: str) -> str | None:
        """The conversation the ticket was for; None when it is unknown, used or expired."""
        if not ticket:
            return None

        def take() -> Any:
            with self._client.pipeline(transaction=True) as pipe:
                pipe.get(self._key(ticket))
                pipe.delete(self._key(ticket))
                return pipe.execute()[0]

        found = _guarded(take)
        return None if found is None else (found.decode() if isinstance(found, bytes) else str(found))

    def _key(self, ticket: str) -> str:
        return f"{self._prefix}ticket:{ticket}"


class RedisConversationLocks(ConversationLocks):
    """One lock per conversation across every web process: this process's lock first, then Redis's."""

    def __init__(self, client: Any, seconds: float = LOCK_SECONDS, prefix: str = PREFIX) -> None:
        super().__init__()
        self._client = client
        self._seconds = seconds
        self._prefix = prefix
        self._release = client.register_script(_RELEASE)
        self._renew = client.register_script(_RENEW)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the conversation's lock in this process and in Redis; another process's turn waits."""
        async with super().hold(key):
            token = secrets.token_hex(16)
            name = f"{self._prefix}lock:{key}"
            milliseconds = int(self._seconds * 1000)
            while not _guarded(lambda: self._client.set(name, token, nx=True, px=milliseconds)):
                await asyncio.sleep(LOCK_POLL_SECONDS)
            renewing = asyncio.create_task(self._keep(name, token, milliseconds))
            try:
                yield
            finally:
                renewing.cancel()
                _guarded(lambda: self._release(keys=[name], args=[token]))

    async def _keep(self, name: str, token: str, milliseconds: int) -> None:
        """Renew the lock while the turn runs (a turn may wait a minute for Rasa)."""
        while True:
            await asyncio.sleep(self._seconds / 3)
            try:
                self._renew(keys=[name], args=[token, milliseconds])
            except Exception:  # Redis away: the lock lapses, the turn still finishes
                logger.warning("could not renew a conversation's lock in Redis", exc_info=True)
