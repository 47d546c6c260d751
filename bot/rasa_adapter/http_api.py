"""Rasa's HTTP API for a live takeover: the bot pauses, a counsellor writes, the bot resumes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx

from bot.handover.visibility import TAKEN_OVER_NOTE, consented_to_storing, visible_lines
from bot.settings import Settings

logger = logging.getLogger(__name__)

COUNSELLOR_LABEL = "Karriereveileder"
TAKEN_OVER = "En karriereveileder har tatt over. Nå skriver du med et menneske, ikke med boten."
HANDED_BACK = "Nå er det Veivalg, chatboten, som svarer igjen. Skriv «hjelp» for å se hva jeg kan."


# Shows a message in the client that holds the conversation: (conversation id, author, text, author label).
Publish = Callable[[str, str, str, "str | None"], None]


class TakeoverError(RuntimeError):
    """Rasa did not accept the change; the message says why, in Norwegian."""


class Takeover:
    """Pauses and resumes a conversation through Rasa's HTTP API, and pushes messages to the user's screen."""

    def __init__(
        self, settings: Settings, client: httpx.Client | None = None, publish: Publish | None = None
    ) -> None:
        self.settings = settings
        self.client = client or httpx.Client(timeout=10.0)
        self.publish = publish

    def _append(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        url = f"{self.settings.rasa_url}/conversations/{sender_id}/tracker/events"
        try:
            response = self.client.post(
                url, params={"token": self.settings.rasa_api_token, "include_events": "NONE"}, json=events
            )
        except httpx.HTTPError as exc:
            raise TakeoverError("Fikk ikke kontakt med Veivalg-serveren. Prøv igjen om litt.") from exc
        if response.status_code >= 400:
            logger.warning("Rasa refused events for a conversation: %s %s", response.status_code, response.text[:200])
            raise TakeoverError("Veivalg-serveren godtok ikke endringen.")

    def messages(self, sender_id: str, *, shared: bool = False) -> list[dict[str, Any]]:
        """The conversation as the counsellor may see it live: who wrote what, and whether the bot is paused.

        All of it only when the user agreed to storing and to sharing; otherwise from the takeover on.
        """
        url = f"{self.settings.rasa_url}/conversations/{sender_id}/tracker"
        try:
            response = self.client.get(url, params={"token": self.settings.rasa_api_token, "include_events": "ALL"})
        except httpx.HTTPError as exc:
            raise TakeoverError("Fikk ikke kontakt med Veivalg-serveren. Prøv igjen om litt.") from exc
        if response.status_code >= 400:
            raise TakeoverError("Fant ikke samtalen hos Veivalg-serveren.")
        events = response.json().get("events") or []
        return visible_lines(conversation_lines(events), stored=consented_to_storing(events), shared=shared)

    def _push(self, sender_id: str, author: str, text: str, label: str | None = None) -> None:
        """Show the message at once in the widget or terminal that holds this conversation."""
        if self.publish is not None:
            self.publish(sender_id, author, text, label)

    def take_over(self, sender_id: str, label: str = COUNSELLOR_LABEL) -> None:
        """Pause the bot and tell the user a person is writing now."""
        self._append(
            sender_id,
            [{"event": "pause"}, {"event": "bot", "text": TAKEN_OVER, "metadata": {"author": "system"}}],
        )
        self._push(sender_id, "bot", TAKEN_OVER)

    def say(self, sender_id: str, text: str, label: str = COUNSELLOR_LABEL) -> None:
        """A counsellor's message: kept in the transcript, marked as from a person, shown to the user."""
        cleaned = text.strip()
        if not cleaned:
            raise TakeoverError("Meldingen er tom.")
        self._append(
            sender_id,
            [{"event": "bot", "text": cleaned, "metadata": {"author": "counsellor", "author_role": label}}],
        )
        self._push(sender_id, "counsellor", cleaned, label)

    def hand_back(self, sender_id: str) -> None:
        """Resume the bot and tell the user it is Veivalg again."""
        self._append(
            sender_id,
            [{"event": "resume"}, {"event": "bot", "text": HANDED_BACK, "metadata": {"author": "system"}}],
        )
        self._push(sender_id, "bot", HANDED_BACK)


def conversation_lines(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """User and bot messages from Rasa events, each with its author; pauses and resumes as notes."""
    lines: list[dict[str, Any]] = []
    for event in events:
        kind = event.get("event")
        if kind == "user" and event.get("text"):
            lines.append({"author": "user", "text": event["text"], "ts": event.get("timestamp")})
        elif kind == "bot" and event.get("text"):
            author = (event.get("metadata") or {}).get("author")
            lines.append({"author": "counsellor" if author == "counsellor" else "bot", "text": event["text"],
                          "ts": event.get("timestamp")})
        elif kind in ("pause", "resume"):
            note = TAKEN_OVER_NOTE if kind == "pause" else "Tilbake til Veivalg"
            lines.append({"author": "system", "text": note, "ts": event.get("timestamp")})
    return lines
