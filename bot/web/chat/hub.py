"""The message log of live chat conversations: ordered messages per conversation, replay and live listeners.

Memory only, nothing is written to disk. A conversation's buffer is dropped when it has been idle longer
than `idle_seconds`, or at once when it ends. Thread-safe: `publish` may be called from any thread (a
counsellor's request in a worker thread), while `wait` runs on an asyncio event loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

from bot.languages.detection import language_of_reply

AUTHOR_LABELS = {"user": "Du", "bot": "Veivalg", "counsellor": "Karriereveileder"}
logger = logging.getLogger(__name__)
MAX_MESSAGES = 1000
MAX_CONVERSATIONS = 5000
SWEEP_EVERY_SECONDS = 5.0


class ConversationGone(KeyError):
    """The conversation was ended, expired or never opened."""


@dataclass
class _Conversation:
    last_active: float
    messages: list[dict[str, Any]] = field(default_factory=list)
    next_seq: int = 1
    waiters: set[asyncio.Future[None]] = field(default_factory=set)


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def wake_waiters(waiters: set[asyncio.Future[None]]) -> None:
    """Wake each waiting listener on its own event loop (callable from any thread)."""
    for future in list(waiters):
        try:
            future.get_loop().call_soon_threadsafe(_wake, future)
        except RuntimeError:  # the listener's event loop is closed; nobody is waiting any more
            waiters.discard(future)


def _copy(message: dict[str, Any]) -> dict[str, Any]:
    return {**message, "buttons": [dict(button) for button in message["buttons"]]}


def clean_buttons(buttons: Sequence[Mapping[str, Any]] | None) -> list[dict[str, str]]:
    """Buttons reduced to `{"title", "payload"}` strings; anything else is left out."""
    cleaned: list[dict[str, str]] = []
    for button in buttons or []:
        if isinstance(button, Mapping) and button.get("title"):
            cleaned.append({"title": str(button["title"]), "payload": str(button.get("payload") or "")})
    return cleaned


class MessageHub(Protocol):
    """What the chat and the review app need of a hub: `Hub` in one process, `RedisHub` shared by several."""

    idle_seconds: float

    def count(self) -> int: ...
    def open(self, conversation_id: str) -> None: ...
    def exists(self, conversation_id: str) -> bool: ...
    def touch(self, conversation_id: str) -> bool: ...
    def publish(self, conversation_id: str, author: str, text: str,
                buttons: Sequence[Mapping[str, Any]] | None = None, author_label: str | None = None) -> int: ...
    def append(self, conversation_id: str, author: str, text: str,
               buttons: Sequence[Mapping[str, Any]] | None = None, author_label: str | None = None) -> int: ...
    def messages_after(self, conversation_id: str, seq: int) -> list[dict[str, Any]]: ...
    def last_message(self, conversation_id: str, author: str) -> dict[str, Any] | None: ...
    async def wait(self, conversation_id: str, after_seq: int, timeout: float) -> list[dict[str, Any]]: ...
    def end(self, conversation_id: str) -> bool: ...
    def started_at(self) -> float: ...
    def reopen(self, conversation_id: str) -> bool: ...


def numbers_after_a_loss() -> int:
    """The first number for a conversation the hub lost: above any number given before (milliseconds now)."""
    return int(time.time() * 1000)


class HubFull(RuntimeError):
    """Every open conversation is live with a counsellor or flagged urgent: no room for a new one."""


class Hub:
    """Per-conversation ordered message lists with sequence numbers, and waiting listeners."""

    def __init__(
        self,
        idle_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        max_messages: int = MAX_MESSAGES,
        max_conversations: int = MAX_CONVERSATIONS,
        protected: Callable[[str], bool] = lambda conversation_id: False,
    ) -> None:
        self.idle_seconds = idle_seconds
        self._protected = protected
        self._clock = clock
        self._max_messages = max_messages
        self._max_conversations = max_conversations
        self._conversations: dict[str, _Conversation] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()
        self._started_at = time.time()
        self._ended: dict[str, None] = {}  # ended by the user here: never opened again by `reopen`

    def count(self) -> int:
        """How many conversations are open."""
        with self._lock:
            self._sweep(force=True)
            return len(self._conversations)

    def open(self, conversation_id: str) -> None:
        """Start a conversation (or keep an open one alive)."""
        with self._lock:
            self._sweep()
            conversation = self._live(conversation_id)
            if conversation is None:
                if len(self._conversations) >= self._max_conversations:
                    self._drop_least_active()
                self._conversations[conversation_id] = _Conversation(last_active=self._clock())
            else:
                conversation.last_active = self._clock()

    def exists(self, conversation_id: str) -> bool:
        """True while the conversation is open and not idle for too long."""
        with self._lock:
            return self._live(conversation_id) is not None

    def started_at(self) -> float:
        """Unix time from which this hub knows every open conversation (a conversation opened earlier was lost)."""
        return self._started_at

    def reopen(self, conversation_id: str) -> bool:
        """Open again a conversation the hub lost (the web process restarted); numbers go on above the old ones.

        False for a conversation the user ended here: that one stays ended.
        """
        with self._lock:
            if conversation_id in self._ended:
                return False
            if self._live(conversation_id) is None:
                if len(self._conversations) >= self._max_conversations:
                    self._drop_least_active()
                self._conversations[conversation_id] = _Conversation(
                    last_active=self._clock(), next_seq=numbers_after_a_loss() + 1)
            return True

    def touch(self, conversation_id: str) -> bool:
        """Count activity in the conversation; False when it is gone."""
        with self._lock:
            conversation = self._live(conversation_id)
            if conversation is not None:
                conversation.last_active = self._clock()
            return conversation is not None

    def publish(
        self,
        conversation_id: str,
        author: str,
        text: str,
        buttons: Sequence[Mapping[str, Any]] | None = None,
        author_label: str | None = None,
    ) -> int:
        """Show a message to whoever holds the conversation; its sequence number, or 0 when nobody does.

        `author` is "user", "bot" or "counsellor". A conversation that is not open here (ended, idle too
        long, or not a widget or terminal conversation) gets nothing, and no buffer is created for it.
        """
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
        # The widget's own labels follow the language the bot writes in (issue 19); no model in the web process.
        language = language_of_reply(str(text)) if author == "bot" else None
        with self._lock:
            self._sweep()
            conversation = self._live(conversation_id)
            if conversation is None:
                raise ConversationGone(conversation_id)
            seq = conversation.next_seq
            conversation.next_seq += 1
            conversation.last_active = self._clock()
            conversation.messages.append(
                {
                    "seq": seq,
                    "author": author,
                    "author_label": author_label or AUTHOR_LABELS[author],
                    "text": str(text),
                    "buttons": clean_buttons(buttons),
                    "ts": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    **({"language": language} if language else {}),
                }
            )
            if len(conversation.messages) > self._max_messages:
                del conversation.messages[: len(conversation.messages) - self._max_messages]
            wake_waiters(conversation.waiters)
            return seq

    def messages_after(self, conversation_id: str, seq: int) -> list[dict[str, Any]]:
        """Copies of the messages with a sequence number above `seq`, oldest first."""
        with self._lock:
            conversation = self._live(conversation_id)
            return [] if conversation is None else self._after(conversation, seq)

    def last_message(self, conversation_id: str, author: str) -> dict[str, Any] | None:
        """A copy of the latest message by `author`, if any."""
        with self._lock:
            conversation = self._live(conversation_id)
            if conversation is not None:
                for message in reversed(conversation.messages):
                    if message["author"] == author:
                        return _copy(message)
            return None

    async def wait(self, conversation_id: str, after_seq: int, timeout: float) -> list[dict[str, Any]]:
        """Messages after `after_seq`: at once if there are any, else the next ones within `timeout`.

        Returns an empty list on timeout and when the conversation ends while waiting.
        """
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        with self._lock:
            conversation = self._live(conversation_id)
            if conversation is None:
                return []
            found = self._after(conversation, after_seq)
            if found:
                return found
            conversation.waiters.add(future)
        try:
            await asyncio.wait({future}, timeout=max(0.0, timeout))
        finally:
            future.cancel()
            with self._lock:
                conversation.waiters.discard(future)
        return self.messages_after(conversation_id, after_seq)

    def end(self, conversation_id: str) -> bool:
        """Forget the conversation and wake its listeners; False when it was already gone."""
        with self._lock:
            conversation = self._conversations.pop(conversation_id, None)
            if conversation is None:
                return False
            self._ended[conversation_id] = None
            while len(self._ended) > 2 * self._max_conversations:
                del self._ended[next(iter(self._ended))]
            wake_waiters(conversation.waiters)
            return True

    def _after(self, conversation: _Conversation, seq: int) -> list[dict[str, Any]]:
        return [_copy(message) for message in conversation.messages if message["seq"] > seq]

    def _live(self, conversation_id: str) -> _Conversation | None:
        conversation = self._conversations.get(conversation_id)
        if conversation is not None and self._clock() - conversation.last_active > self.idle_seconds:
            del self._conversations[conversation_id]
            wake_waiters(conversation.waiters)
            return None
        return conversation

    def _sweep(self, force: bool = False) -> None:
        now = self._clock()
        if not force and now - self._last_sweep < SWEEP_EVERY_SECONDS:
            return
        self._last_sweep = now
        idle = [c for c, conv in self._conversations.items() if now - conv.last_active > self.idle_seconds]
        for conversation_id in idle:
            wake_waiters(self._conversations.pop(conversation_id).waiters)

    def _drop_least_active(self) -> None:
        """Make room: the least active conversation goes, never one a counsellor has or one flagged urgent."""
        by_age = sorted(self._conversations, key=lambda c: self._conversations[c].last_active)
        for conversation_id in by_age:
            if not self._protected(conversation_id):
                wake_waiters(self._conversations.pop(conversation_id).waiters)
                return
        raise HubFull(len(self._conversations))
