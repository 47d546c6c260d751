"""What both front ends share: the session token, the transcript and the idle clock."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from bot.clients.terminal.gateway_client import GatewayClient, GatewayUnavailable, SessionGone
from bot.clients.terminal.texts import LOST
from bot.clients.terminal.transcript import Transcript


class Conversation:
    """The state both front ends share: the session token, the transcript and the idle clock."""

    def __init__(self, client: GatewayClient, token: str | None, idle_seconds: float) -> None:
        self.client = client
        self.token = token
        self.idle_seconds = max(3.0, float(idle_seconds))
        self.transcript = Transcript()
        self.generation = 0  # bumped at every wipe, so late answers for the old user are dropped
        self.last_activity = time.monotonic()
        self.dirty = False
        self.lock = threading.Lock()

    @property
    def warn_before(self) -> float:
        """How many seconds before the wipe the warning shows."""
        return float(min(30, math.floor(self.idle_seconds / 2)))

    def activity(self) -> None:
        """The user did something."""
        self.last_activity = time.monotonic()

    def idle_for(self) -> float:
        """Seconds since the user last did something."""
        return time.monotonic() - self.last_activity

    def ensure_token(self) -> str:
        """The current conversation's token, starting a new conversation when there is none."""
        with self.lock:
            if self.token is None:
                self.token, _ = self.client.start()
            return self.token

    def send(self, text: str) -> list[dict[str, Any]]:
        """Send a message (in a new conversation when the old one is gone) and add the answers."""
        generation = self.generation
        try:
            messages = self.client.send(self.ensure_token(), text)
        except SessionGone:
            with self.lock:
                self.token = None
            messages = self.client.send(self.ensure_token(), text)
        if generation == self.generation:
            self.transcript.add(messages)
        return messages

    def wipe(self) -> None:
        """End the conversation on the server and forget everything here."""
        with self.lock:
            old, self.token = self.token, None
            self.generation += 1
            self.dirty = False
        self.transcript.clear()
        if old:
            threading.Thread(target=self.client.end, args=(old,), daemon=True).start()

    def poll_forever(
        self, on_new: Callable[[], None], on_status: Callable[[str | None], None], stop: threading.Event
    ) -> None:
        """Background loop: fetch new messages (the bot's and a counsellor's) and report them."""
        lost = False
        while not stop.is_set():
            token, generation = self.token, self.generation
            if token is None:
                stop.wait(0.2)
                continue
            try:
                messages = self.client.poll(token, self.transcript.complete_until())
            except SessionGone:
                with self.lock:
                    if self.token == token:
                        self.token = None
                continue
            except GatewayUnavailable:
                if not lost:
                    on_status(LOST)
                lost = True
                stop.wait(2.0)
                continue
            if lost:
                on_status(None)
                lost = False
            if generation == self.generation and self.transcript.add(messages):
                on_new()
