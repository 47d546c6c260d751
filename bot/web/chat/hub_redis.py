"""The message log of live chat conversations in Redis, so every web process serves every conversation.

The same contract as `bot.web.chat.hub.Hub` (numbered messages, replay, listeners woken at once), kept in
Redis (database 2 of the scaled profile's Redis, which writes nothing to disk) instead of one process's
memory: a counsellor's message written by one web process reaches the event stream another one serves,
and a browser that reconnects to any process replays from `Last-Event-ID`. A conversation's keys expire
when it has been idle longer than `idle_seconds`; appending a message is one Lua script, so numbers are
given out once and in order whichever process writes. Each process keeps one subscription that wakes its
own listeners; a message missed while Redis restarts is found at the listener's next heartbeat.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from bot.languages.detection import language_of_reply
from bot.web.chat.hub import (
    AUTHOR_LABELS,
    MAX_CONVERSATIONS,
    MAX_MESSAGES,
    SWEEP_EVERY_SECONDS,
    ConversationGone,
    HubFull,
    clean_buttons,
    numbers_after_a_loss,
    wake_waiters,
)
from bot.web.chat.tokens import MAX_AGE_SECONDS

logger = logging.getLogger(__name__)
PREFIX = "veivalg:chat:"
ENDED_SECONDS = MAX_AGE_SECONDS  # as long as a widget token is valid
GRACE_SECONDS = 60  # keys outlive the idle time a little, so a live check never races their expiry

# KEYS: conversation hash, message list, active set. ARGV: now, idle, max messages, message JSON, ttl,
# conversation id, wake channel. Returns the message's number, or 0 when the conversation is not open.
_APPEND = """
local last = redis.call('HGET', KEYS[1], 'last_active')
if not last then return 0 end
if tonumber(ARGV[1]) - tonumber(last) > tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[6])
  redis.call('PUBLISH', ARGV[7], 'end')
  return 0
end
local seq = redis.call('HINCRBY', KEYS[1], 'next_seq', 1)
redis.call('HSET', KEYS[1], 'last_active', ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[6])
redis.call('RPUSH', KEYS[2], seq .. ' ' .. ARGV[4])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
redis.call('PUBLISH', ARGV[7], seq)
return seq
"""


class SharedStateUnavailable(RuntimeError):
    """Redis, where the web processes share the chat's state, does not answer."""


class RedisHub:
    """Per-conversation ordered message lists with sequence numbers in Redis, and this process's listeners."""

    def __init__(
        self,
        client: Any,
        idle_seconds: float,
        clock: Callable[[], float] = time.time,
        max_messages: int = MAX_MESSAGES,
        max_conversations: int = MAX_CONVERSATIONS,
        protected: Callable[[str], bool] = lambda conversation_id: False,
        prefix: str = PREFIX,
    ) -> None:
        self.idle_seconds = idle_seconds
        self._client = client
        self._clock = clock  # wall-clock time by default: every process, on every host, reads the same
        self._max_messages = max_messages
        self._max_conversations = max_conversations
        self._protected = protected
        self._prefix = prefix
        self._append = client.register_script(_APPEND)
        self._waiters: dict[str, set[asyncio.Future[None]]] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()
        self._listener: threading.Thread | None = None
        self._closed = threading.Event()

    # Keys
    def _conversation_key(self, conversation_id: str) -> str:
        return f"{self._prefix}conversation:{conversation_id}"

    def _messages_key(self, conversation_id: str) -> str:
        return f"{self._prefix}messages:{conversation_id}"

    def _ended_key(self, conversation_id: str) -> str:
        return f"{self._prefix}ended:{conversation_id}"

    @property
    def _active_key(self) -> str:
        return f"{self._prefix}active"

    def _channel(self, conversation_id: str) -> str:
        return f"{self._prefix}wake:{conversation_id}"

    @property
    def _ttl(self) -> int:
        return int(self.idle_seconds) + GRACE_SECONDS

    def _redis(self, call: Callable[[], Any]) -> Any:
        from redis.exceptions import RedisError

        try:
            return call()
        except RedisError as exc:
            raise SharedStateUnavailable(str(exc)) from exc

    # The contract of Hub
    def count(self) -> int:
        """How many conversations are open."""
        self._sweep(force=True)
        return int(self._redis(lambda: self._client.zcard(self._active_key)))

    def open(self, conversation_id: str) -> None:
        """Start a conversation (or keep an open one alive)."""
        self._sweep()
        if self._live(conversation_id):
            self.touch(conversation_id)
            return
        if self._redis(lambda: self._client.zcard(self._active_key)) >= self._max_conversations:
            self._drop_least_active()
        now = self._clock()
        key = self._conversation_key(conversation_id)

        def start() -> None:
            with self._client.pipeline() as pipe:
                pipe.delete(key, self._messages_key(conversation_id))
                pipe.hset(key, mapping={"last_active": repr(now), "next_seq": 0})
                pipe.expire(key, self._ttl)
                pipe.zadd(self._active_key, {conversation_id: now})
                pipe.execute()

        self._redis(start)

    def exists(self, conversation_id: str) -> bool:
        """True while the conversation is open and not idle for too long."""
        return self._live(conversation_id)

    def started_at(self) -> float:
        """Unix time from which Redis holds every open conversation: its first use, or its latest restart."""
        key = f"{self._prefix}since"
        now = time.time()

        def since() -> Any:
            with self._client.pipeline() as pipe:
                pipe.set(key, repr(now), nx=True)
                pipe.get(key)
                return pipe.execute()[1]

        return float(self._redis(since))

    def reopen(self, conversation_id: str) -> bool:
        """Open again a conversation Redis lost (it restarted); numbers go on above the old ones.

        False for a conversation the user ended (remembered for the tokens' lifetime, unless Redis lost that too).
        """
        if self._redis(lambda: self._client.exists(self._ended_key(conversation_id))):
            return False
        if self._live(conversation_id):
            return True
        self.open(conversation_id)
        self._redis(lambda: self._client.hset(
            self._conversation_key(conversation_id), "next_seq", numbers_after_a_loss()))
        return True

    def touch(self, conversation_id: str) -> bool:
        """Count activity in the conversation; False when it is gone."""
        if not self._live(conversation_id):
            return False
        now = self._clock()
        key = self._conversation_key(conversation_id)

        def touch() -> None:
            with self._client.pipeline() as pipe:
                pipe.hset(key, "last_active", repr(now))
                pipe.expire(key, self._ttl)
                pipe.expire(self._messages_key(conversation_id), self._ttl)
                pipe.zadd(self._active_key, {conversation_id: now})
                pipe.execute()

        self._redis(touch)
        return True

    def publish(
        self,
        conversation_id: str,
        author: str,
        text: str,
        buttons: Sequence[Mapping[str, Any]] | None = None,
        author_label: str | None = None,
    ) -> int:
        """Show a message to whoever holds the conversation; its sequence number, or 0 when nobody does."""
        try:
            return self.append(conversation_id, author, text, buttons, author_label)
        except ConversationGone:
            return 0

    def append(
        self,
        conversation_id: str,
        author: str,
        text: str,
        buttons: Sequence[Mapping[str, Any]] | None = None,
        author_label: str | None = None,
    ) -> int:
        """Like `publish`, but raise ConversationGone when the conversation is not open."""
        if author not in AUTHOR_LABELS:
            raise ValueError(f"author must be one of {sorted(AUTHOR_LABELS)}, not {author!r}")
        language = language_of_reply(str(text)) if author == "bot" else None
        self._sweep()
        message = {
            "author": author,
            "author_label": author_label or AUTHOR_LABELS[author],
            "text": str(text),
            "buttons": clean_buttons(buttons),
            "ts": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **({"language": language} if language else {}),
        }
        seq = int(self._redis(lambda: self._append(
            keys=[self._conversation_key(conversation_id), self._messages_key(conversation_id), self._active_key],
            args=[repr(self._clock()), self.idle_seconds, self._max_messages,
                  json.dumps(message, ensure_ascii=False), self._ttl, conversation_id, self._channel(conversation_id)],
        )))
        if seq == 0:
            raise ConversationGone(conversation_id)
        return seq

    def messages_after(self, conversation_id: str, seq: int) -> list[dict[str, Any]]:
        """The messages with a sequence number above `seq`, oldest first."""
        if not self._live(conversation_id):
            return []
        return [message for message in self._messages(conversation_id) if message["seq"] > seq]

    def last_message(self, conversation_id: str, author: str) -> dict[str, Any] | None:
        """The latest message by `author`, if any."""
        if not self._live(conversation_id):
            return None
        return next((m for m in reversed(self._messages(conversation_id)) if m["author"] == author), None)

    async def wait(self, conversation_id: str, after_seq: int, timeout: float) -> list[dict[str, Any]]:
        """Messages after `after_seq`: at once if there are any, else the next ones within `timeout`.

        Returns an empty list on timeout and when the conversation ends while waiting.
        """
        self._listen()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        with self._lock:  # listen first, then look: a message in between still wakes us
            self._waiters.setdefault(conversation_id, set()).add(future)
        try:
            found = self.messages_after(conversation_id, after_seq)
            if found or not self._live(conversation_id):
                return found
            await asyncio.wait({future}, timeout=max(0.0, timeout))
        finally:
            future.cancel()
            with self._lock:
                waiters = self._waiters.get(conversation_id)
                if waiters is not None:
                    waiters.discard(future)
                    if not waiters:
                        del self._waiters[conversation_id]
        return self.messages_after(conversation_id, after_seq)

    def end(self, conversation_id: str) -> bool:
        """The user ended it: forget it and wake its listeners in every process; False when it was already gone.

        Remembered as ended for the tokens' lifetime, so a token from before a Redis restart cannot reopen it.
        """
        self._redis(lambda: self._client.set(self._ended_key(conversation_id), 1, ex=ENDED_SECONDS))
        return self._forget(conversation_id)

    def _forget(self, conversation_id: str) -> bool:
        """Drop the conversation's keys and wake its listeners in every process; False when it was already gone."""
        def end() -> int:
            with self._client.pipeline() as pipe:
                pipe.delete(self._conversation_key(conversation_id), self._messages_key(conversation_id))
                pipe.zrem(self._active_key, conversation_id)
                pipe.publish(self._channel(conversation_id), "end")
                return int(pipe.execute()[0])

        return bool(self._redis(end))

    def close(self) -> None:
        """Stop this process's subscription (the hub is not used any more)."""
        self._closed.set()

    # Inside
    def _messages(self, conversation_id: str) -> list[dict[str, Any]]:
        entries = self._redis(lambda: self._client.lrange(self._messages_key(conversation_id), 0, -1))
        messages = []
        for entry in entries:
            seq, _, body = (entry.decode() if isinstance(entry, bytes) else str(entry)).partition(" ")
            messages.append({"seq": int(seq), **json.loads(body)})
        return messages

    def _live(self, conversation_id: str) -> bool:
        last = self._redis(lambda: self._client.hget(self._conversation_key(conversation_id), "last_active"))
        if last is None:
            return False
        if self._clock() - float(last) > self.idle_seconds:
            self._forget(conversation_id)
            return False
        return True

    def _sweep(self, force: bool = False) -> None:
        now = self._clock()
        if not force and now - self._last_sweep < SWEEP_EVERY_SECONDS:
            return
        self._last_sweep = now
        idle = self._redis(lambda: self._client.zrangebyscore(self._active_key, "-inf", now - self.idle_seconds))
        for raw in idle:
            conversation_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            self._live(conversation_id)  # ends it when it is idle by its own record too

    def _drop_least_active(self) -> None:
        """Make room: the least active conversation goes, never one a counsellor has or one flagged urgent."""
        by_age = self._redis(lambda: self._client.zrange(self._active_key, 0, -1))
        for raw in by_age:
            conversation_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            if not self._protected(conversation_id):
                self._forget(conversation_id)
                return
        raise HubFull(len(by_age))

    def _listen(self) -> None:
        """Start this process's subscription to the wake-up channels (once)."""
        with self._lock:
            if self._listener is not None and self._listener.is_alive():
                return
            ready = threading.Event()
            self._listener = threading.Thread(target=self._receive, args=(ready,), name="veivalg-hub", daemon=True)
            self._listener.start()
        ready.wait(timeout=5)

    def _receive(self, ready: threading.Event) -> None:
        """Wake the listeners of each conversation a message arrives for; after a lost connection, all of them."""
        pattern = f"{self._prefix}wake:*"
        offset = len(self._prefix) + len("wake:")
        while not self._closed.is_set():
            pubsub = self._client.pubsub(ignore_subscribe_messages=True)
            try:
                pubsub.psubscribe(pattern)
                pubsub.get_message(timeout=1.0)  # the subscription is confirmed
                ready.set()
                self._wake_all()  # whatever came while we were not subscribed is read again
                while not self._closed.is_set():
                    message = pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "pmessage":
                        channel = message["channel"]
                        conversation_id = (channel.decode() if isinstance(channel, bytes) else str(channel))[offset:]
                        self._wake(conversation_id)
            except Exception:  # Redis restarting: listeners fall back on their heartbeat until we are back
                logger.warning("the chat's Redis subscription was lost; reconnecting", exc_info=True)
                ready.set()
                self._closed.wait(1.0)
            finally:
                with contextlib.suppress(Exception):  # closing a broken connection may fail too
                    pubsub.close()

    def _wake(self, conversation_id: str) -> None:
        with self._lock:
            waiters = set(self._waiters.get(conversation_id, ()))
        wake_waiters(waiters)

    def _wake_all(self) -> None:
        with self._lock:
            waiters = {future for futures in self._waiters.values() for future in futures}
        wake_waiters(waiters)
