"""The web process's chat API (`/chat/api/…`) as the terminal client uses it."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx

from bot.clients.terminal.texts import OFFLINE

POLL_WAIT_SECONDS = 25


class GatewayUnavailable(RuntimeError):
    """The web process does not answer."""


class SessionGone(RuntimeError):
    """The gateway no longer knows the conversation (ended, idle too long, or the server restarted)."""


class MessageRefused(RuntimeError):
    """The gateway refused a message (too long, empty); the text says why, in Norwegian."""


class GatewayClient:
    """The terminal's HTTP connection to the chat gateway."""

    def __init__(self, server: str, timeout: float = 60.0) -> None:
        self.server = server.rstrip("/")
        timeouts = httpx.Timeout(timeout, connect=5.0)
        self._send_http = httpx.Client(timeout=timeouts, trust_env=False)
        self._poll_http = httpx.Client(timeout=httpx.Timeout(POLL_WAIT_SECONDS + 15.0, connect=5.0), trust_env=False)

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        try:
            return self._send_http.post(self.server + path, json=body)
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(str(exc)) from exc

    def start(self) -> tuple[str, int]:
        """A new conversation: its token and the server's idle time in seconds."""
        response = self._post("/chat/api/session", {"client": "terminal"})
        if response.status_code != 200:
            raise GatewayUnavailable(f"session: HTTP {response.status_code}")
        body = response.json()
        return str(body["token"]), int(body.get("idle_seconds") or 600)

    def send(self, token: str, text: str) -> list[dict[str, Any]]:
        """Send one message; the logged messages of this turn (the user's and the bot's)."""
        response = self._post("/chat/api/message", {"token": token, "text": text})
        if response.status_code == 403:
            raise SessionGone()
        try:
            body = response.json()
        except ValueError as exc:
            raise GatewayUnavailable(f"message: HTTP {response.status_code}") from exc
        if response.status_code != 200:
            raise MessageRefused(str(body.get("message") or OFFLINE))
        return list(body.get("messages") or [])

    def poll(self, token: str, after: int, wait: int = POLL_WAIT_SECONDS) -> list[dict[str, Any]]:
        """Messages after `after`, waiting up to `wait` seconds for new ones."""
        try:
            response = self._poll_http.get(
                self.server + "/chat/api/poll", params={"after": after, "wait": wait},
                headers={"X-Veivalg-Token": token},
            )
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(str(exc)) from exc
        if response.status_code == 403:
            raise SessionGone()
        if response.status_code != 200:
            raise GatewayUnavailable(f"poll: HTTP {response.status_code}")
        return list(response.json().get("messages") or [])

    def end(self, token: str) -> None:
        """Forget the conversation on the server; a failure is harmless (it expires anyway)."""
        with contextlib.suppress(GatewayUnavailable):
            self._post("/chat/api/end", {"token": token})

    def close(self) -> None:
        """Close the connections."""
        self._send_http.close()
        self._poll_http.close()
