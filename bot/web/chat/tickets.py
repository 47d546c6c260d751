"""Single-use, short-lived tickets for the event stream, so the conversation's token never goes in a URL."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

TICKET_SECONDS = 30.0
MAX_TICKETS = 20000


class StreamTickets:
    """ticket → conversation id, each valid once and for half a minute."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, seconds: float = TICKET_SECONDS) -> None:
        self._clock = clock
        self._seconds = seconds
        self._tickets: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, conversation_id: str) -> str:
        """A new ticket for this conversation."""
        ticket = secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            if len(self._tickets) >= MAX_TICKETS:
                self._tickets = {t: v for t, v in self._tickets.items() if v[1] > now}
            self._tickets[ticket] = (conversation_id, now + self._seconds)
        return ticket

    def redeem(self, ticket: str) -> str | None:
        """The conversation the ticket was for; None when it is unknown, used or expired."""
        with self._lock:
            found = self._tickets.pop(ticket, None)
        if found is None or found[1] < self._clock():
            return None
        return found[0]
