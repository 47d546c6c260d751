"""Veivalg's REST channel at /webhooks/rest/webhook: validated input, typed button numbers, always an answer."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.paths import read_yaml
from bot.rasa_adapter.inbound import InboundMessage, InvalidMessage, parse_body
from bot.rasa_adapter.tracker_store import UNREADABLE
from bot.settings import CHANNEL_SECRET_HEADER, get_settings
from bot.text.buttons import is_number, select_button

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def system_texts() -> dict[str, str]:
    """The channel's own texts, kept beside this module in system_texts.yml."""
    loaded = read_yaml(Path(__file__).parent / "system_texts.yml")
    return {str(key): str(value) for key, value in loaded.items()}


async def last_buttons(agent: Any, sender: str) -> list[dict[str, Any]]:
    """The buttons of the bot's latest message in this conversation."""
    tracker = await agent.tracker_store.retrieve(sender)
    if tracker is None:
        return []
    for event in reversed(tracker.events):
        if getattr(event, "type_name", None) == "bot":
            return list(event.data.get("buttons") or [])
    return []


def has_channel_secret(given: str) -> bool:
    """True when a request carries the secret the web process sends; nobody else local may speak for a sender."""
    return hmac.compare_digest(given.encode(), get_settings().channel_secret.encode())


class VeivalgRestInput(RestInput):
    """Rasa's REST channel with Veivalg's input checks."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> VeivalgRestInput:
        """Rasa creates the channel at start-up; the one speed-up of Rasa itself is installed then."""
        from bot.rasa_adapter import speedups as rasa_speedups
        rasa_speedups.apply()
        return cls()

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> Blueprint:
        webhook = Blueprint("veivalg_rest_webhook", __name__)

        @webhook.listener("after_server_start")
        async def model_loaded(app: Any, loop: Any) -> None:
            # Rasa loads the model before the server starts. The redactor is built now, not in the first
            # turn after someone says yes to storing; all of it then stays for the server's life.
            from bot.privacy.redaction import get_redactor
            from bot.rasa_adapter import speedups as rasa_speedups
            from bot.settings import get_settings

            get_redactor()
            if get_settings().actions == "in-process":  # loaded now, not in someone's first turn
                from bot.rasa_adapter.actions_in_process import executor

                executor()
            rasa_speedups.freeze_loaded_objects()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not has_channel_secret(request.headers.get(CHANNEL_SECRET_HEADER, "")):
                return response.json({"error": system_texts()["no_access"]}, status=401)
            try:
                message = parse_body(request.body or b"")
            except InvalidMessage as exc:
                return response.json({"error": str(exc)}, status=400)
            agent = request.app.ctx.agent
            return response.json(await self.answer(agent, message, on_new_message))

        return webhook

    async def answer(
        self,
        agent: Any,
        message: InboundMessage,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> list[dict[str, Any]]:
        """Run one message through the bot; every outcome is a kind answer in Norwegian."""

        def reply(key: str) -> list[dict[str, Any]]:
            return [{"recipient_id": message.sender, "text": system_texts()[key]}]

        if message.is_empty:
            return reply("empty_message")
        if len(message.text) > get_settings().max_message_chars:
            return reply("message_too_long")
        text = message.text
        collector = CollectingOutputChannel()
        UNREADABLE.discard(message.sender)
        try:
            # Reading the conversation costs time; only a typed number needs the latest buttons.
            payload = select_button(text, await last_buttons(agent, message.sender)) if is_number(text) else None
            await on_new_message(
                UserMessage(
                    payload or text,
                    collector,
                    message.sender,
                    input_channel=self.name(),
                    metadata=message.metadata or None,
                )
            )
        except Exception:
            logger.exception("Could not handle a message from %s", message.sender)
        if message.sender in UNREADABLE:
            # The conversation could not be read from the database: whatever the bot said was said to an
            # empty conversation. Say honestly that something is wrong; nothing stored was touched.
            return reply("technical_problem")
        if collector.messages:
            return collector.messages
        tracker = await _tracker_or_none(agent, message.sender)
        if tracker is not None and tracker.is_paused():
            return await paused_answer(agent, tracker, message.sender)
        return reply("technical_problem")


async def _tracker_or_none(agent: Any, sender: str) -> Any:
    try:
        return await agent.tracker_store.retrieve(sender)
    except Exception:
        logger.exception("Could not read the conversation of %s", sender)
        return None


async def paused_answer(agent: Any, tracker: Any, sender: str) -> list[dict[str, Any]]:
    """A counsellor has the conversation: the bot stays quiet, except for signs of crisis or a threat.

    A crisis or a threat still gets its answer at once (without the closing question: a person is there)
    and an urgent flag; a possible sign is only flagged for the counsellor, who is already talking with them.
    """
    from bot.safety.assessment import POSSIBLE, level_of_message
    from bot.safety.response import responses_for, setting_of

    latest = tracker.latest_message
    level = level_of_message({"text": latest.text, **latest.parse_data}) if latest is not None else None
    if level is None:
        return []
    flag_safety(sender, level, channel=tracker.get_latest_input_channel())
    if level == POSSIBLE:
        return []
    texts = []
    metadata = latest.metadata if latest is not None else None
    for name in responses_for(level, setting_of(sender, metadata))[:-1]:
        for variant in agent.domain.responses.get(name, [])[:1]:
            texts.append({"recipient_id": sender, "text": variant["text"]})
    return texts


def flag_safety(sender: str, level: str, channel: str | None = None) -> None:
    """Queue the conversation for counsellors with the level's reason; urgent for a crisis or a threat."""
    from bot.handover.queue import flag_for_safety
    from bot.storage.engine import session_factory

    try:
        with session_factory().begin() as session:
            flag_for_safety(sender, level, session=session, channel=channel)
    except Exception:
        logger.exception("Could not flag signs of %s", level)
