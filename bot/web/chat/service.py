"""One chat conversation's traffic: check its token, log its messages, ask Rasa, stream what happens."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi.responses import JSONResponse

from bot.settings import Settings
from bot.text.buttons import select_button
from bot.web.chat.errors import WidgetApiError
from bot.web.chat.gateway import TECHNICAL_PROBLEM, BotMessage, RasaGateway, RasaUnavailable
from bot.web.chat.hub import ConversationGone, MessageHub
from bot.web.chat.limits import Rate, RateLimiter
from bot.web.chat.locks import ConversationLocks
from bot.web.chat.shared import RedisRateLimiter, RedisTickets
from bot.web.chat.speech import Speaker
from bot.web.chat.tickets import StreamTickets
from bot.web.chat.tokens import InvalidToken, TokenSigner, client_of

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0
MAX_LABEL_CHARS = 200
SMALL_BODY_BYTES = 4096


class ChatService:
    """What the chat routes share: settings, hub, Rasa gateway, speech, token signer and one lock per conversation."""

    def __init__(
        self,
        settings: Settings,
        hub: MessageHub,
        gateway: RasaGateway,
        speaker: Speaker,
        *,
        limits: RateLimiter | RedisRateLimiter | None = None,
        tickets: StreamTickets | RedisTickets | None = None,
        locks: ConversationLocks | None = None,
    ) -> None:
        self.settings = settings
        self.hub = hub
        self.gateway = gateway
        self.speaker = speaker
        self.signer = TokenSigner(settings.secret_key)
        self.locks = locks if locks is not None else ConversationLocks()
        self.limits: RateLimiter | RedisRateLimiter = limits if limits is not None else RateLimiter()
        self.tickets: StreamTickets | RedisTickets = tickets if tickets is not None else StreamTickets()
        self.message_body_limit = settings.max_message_chars * 6 + SMALL_BODY_BYTES
        # New conversations from one address (a school or a prison may share one): twice the rate at once.
        self.sessions_per_address = Rate(burst=2 * settings.chat_sessions_per_minute,
                                         per_minute=settings.chat_sessions_per_minute)

    def conversation(self, token: object) -> str:
        """The open conversation a token names; 403 when the token is invalid or the conversation is gone."""
        try:
            conversation_id, signed_at = self.signer.conversation_and_time(token)
        except InvalidToken as exc:
            raise WidgetApiError(403, "invalid_token") from exc
        # Tokens carry whole seconds: only one signed over a second before the hub began was lost with it;
        # a later one the hub knew and let go (ended or idle).
        if not self.hub.exists(conversation_id) and not self.reopened(conversation_id, signed_at + 1):
            raise WidgetApiError(403, "invalid_token")
        return conversation_id

    def reopened(self, conversation_id: str, known_at: float) -> bool:
        """Open again a conversation that existed at `known_at` and was lost with the hub since (a restarted web
        process or Redis); False when the hub began earlier, or the user ended it."""
        if self.hub.started_at() > known_at and self.hub.reopen(conversation_id):
            logger.info("a conversation the hub lost goes on with its token")
            return True
        return False

    def within(self, key: str, rate: Rate) -> None:
        """429 with a kind message when `key` has used its rate."""
        if not self.limits.allow(key, rate):
            raise WidgetApiError(429, "too_many")

    def shown_text(self, conversation_id: str, text: str, label: str | None) -> str:
        """What the log shows for the user's message: a button's title when one was chosen."""
        if label:
            return label[:MAX_LABEL_CHARS]
        latest = self.hub.last_message(conversation_id, "bot")
        buttons = latest["buttons"] if latest else []
        payload = select_button(text, buttons)
        if payload:
            return next((b["title"] for b in buttons if b["payload"] == payload), text)
        return text

    @staticmethod
    def json(content: dict[str, Any]) -> JSONResponse:
        """A JSON answer that no browser or proxy keeps."""
        return JSONResponse(content, headers={"Cache-Control": "no-store"})

    async def forward(self, conversation_id: str, text: str, label: str | None) -> dict[str, Any]:
        """Log the user's message, ask Rasa, log the answers; Rasa down gives a kind message and `error`."""
        try:
            first = self.hub.append(conversation_id, "user", self.shown_text(conversation_id, text, label))
        except ConversationGone as exc:
            raise WidgetApiError(403, "invalid_token") from exc
        error = False
        asked = time.time()
        try:
            answers = await self.gateway.send(conversation_id, text, client_of(conversation_id))
        except RasaUnavailable as exc:
            logger.warning("Rasa did not answer (%s); the user got the technical-problem message", exc)
            answers, error = [BotMessage(TECHNICAL_PROBLEM)], True
        seqs = {first}
        for answer in answers:
            seqs.add(self.answered(conversation_id, answer, asked))
        messages = [m for m in self.hub.messages_after(conversation_id, first - 1) if m["seq"] in seqs]
        return {"messages": messages, "error": error}

    def answered(self, conversation_id: str, answer: BotMessage, asked: float) -> int:
        """Log one of Rasa's answers; the conversation goes on if the hub lost it while Rasa was answering."""
        try:
            return self.hub.append(conversation_id, "bot", answer.text, answer.buttons)
        except ConversationGone as exc:
            # Rasa has the turn: an answer lost with Redis would make the user send the message twice.
            if self.reopened(conversation_id, asked):
                return self.hub.append(conversation_id, "bot", answer.text, answer.buttons)
            # The user ended it, or started a new conversation, while Rasa was answering.
            raise WidgetApiError(403, "invalid_token") from exc

    async def event_stream(self, conversation_id: str, after: int) -> AsyncIterator[str]:
        """Server-sent events: replay after `after`, then live messages, heartbeats, and `end` when it ends."""
        yield "retry: 3000\n\n"
        last = after
        opened = time.time()
        while True:
            messages = await self.hub.wait(conversation_id, last, HEARTBEAT_SECONDS)
            for message in messages:
                yield f"id: {message['seq']}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"
                last = message["seq"]
            if not self.hub.exists(conversation_id):
                if self.hub.started_at() > opened:  # Redis restarted: the client reconnects and goes on
                    return
                yield "event: end\ndata: {}\n\n"
                return
            if not messages:
                yield ": heartbeat\n\n"
