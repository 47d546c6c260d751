"""Forward a chat message to Rasa's REST channel and read the bot's answers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.settings import CHANNEL_SECRET_HEADER
from bot.web.chat.hub import clean_buttons

TECHNICAL_PROBLEM = (
    "Beklager, Veivalg har et teknisk problem akkurat nå. Prøv igjen om litt, eller si fra til en ansatt."
)
DEFAULT_TIMEOUT_SECONDS = 30.0


class RasaUnavailable(RuntimeError):
    """Rasa did not answer in time, or answered with something that is not a list of messages."""


@dataclass(frozen=True)
class BotMessage:
    """One message from the bot: text and the buttons it offers."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


def parse_answer(data: Any) -> list[BotMessage]:
    """The REST channel's JSON list as bot messages; images and custom payloads are left out."""
    if not isinstance(data, list):
        raise RasaUnavailable("the REST channel did not answer with a list")
    messages: list[BotMessage] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        text = item.get("text")
        buttons = clean_buttons(item.get("buttons") if isinstance(item.get("buttons"), list) else None)
        if (isinstance(text, str) and text.strip()) or buttons:
            messages.append(BotMessage(text=text if isinstance(text, str) else "", buttons=buttons))
    return messages


class RasaGateway:
    """Talks to `{rasa_url}/webhooks/rest/webhook` with one pooled async HTTP client."""

    def __init__(
        self,
        rasa_url: str,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        transport: httpx.AsyncBaseTransport | None = None,
        channel_secret: str = "",
    ) -> None:
        self.webhook_url = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self.channel_secret = channel_secret
        self.timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _http(self) -> httpx.AsyncClient:
        """One pooled client per event loop (the web process has one; tests may start several)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client.is_closed or self._loop is not loop:
            self._client = httpx.AsyncClient(timeout=self.timeout, transport=self._transport, trust_env=False)
            self._loop = loop
        return self._client

    async def send(self, conversation_id: str, text: str, channel: str) -> list[BotMessage]:
        """The bot's answers to `text`; raise RasaUnavailable when Rasa is down, slow or broken."""
        body = {"sender": conversation_id, "message": text, "metadata": {"channel": channel}}
        try:
            # The header lets a load balancer keep each conversation on one Rasa server (scaled profile).
            response = await self._http().post(self.webhook_url, json=body, headers={
                "X-Veivalg-Sender": conversation_id, CHANNEL_SECRET_HEADER: self.channel_secret,
            })
            response.raise_for_status()
            return parse_answer(response.json())
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(f"{type(exc).__name__}: {exc}") from exc

    async def close(self) -> None:
        """Close the pooled connections."""
        if self._client is not None and self._loop is asyncio.get_running_loop():
            await self._client.aclose()
        self._client = None
