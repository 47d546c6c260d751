"""The chat gateway's routes under /chat: demo page, widget files, and the JSON and event-stream API for clients."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.settings import Settings
from bot.text.cleaning import clean_text
from bot.web.chat import limits
from bot.web.chat.errors import WidgetApiError, error_response
from bot.web.chat.gateway import RasaGateway
from bot.web.chat.guard import PREFIX, ChatGuard
from bot.web.chat.hub import HubFull, MessageHub
from bot.web.chat.hub_redis import SharedStateUnavailable
from bot.web.chat.process_hub import CHAT_REDIS_DB, get_hub
from bot.web.chat.service import SMALL_BODY_BYTES, ChatService
from bot.web.chat.speech import Speaker, SpeechUnavailable
from bot.web.chat.tokens import CLIENT_PREFIXES, InvalidToken, new_conversation_id

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent
MAX_POLL_WAIT_SECONDS = 30.0
MIN_DEMO_IDLE_SECONDS = 3
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
router = APIRouter(prefix=PREFIX, tags=["chat"])


def chat(request: Request) -> ChatService:
    """A dependency: the chat service the web app was built with."""
    service: ChatService = request.app.state.chat_widget
    return service


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


def _body(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """The JSON body of a gateway call, for the OpenAPI description (the routes read and check it themselves)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"requestBody": {"content": {"application/json": {"schema": schema}}, "required": bool(required)}}


async def read_json(request: Request, limit: int, allow_empty: bool = False) -> dict[str, Any]:
    """The request body as a JSON object, read at most `limit` bytes; any content type is accepted."""
    size = 0
    chunks: list[bytes] = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise WidgetApiError(413, "body_too_large")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip() and allow_empty:
        return {}
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WidgetApiError(400, "bad_request") from exc
    if not isinstance(body, dict):
        raise WidgetApiError(400, "bad_request")
    return body


def _whole_number(raw: str | None, default: int) -> int:
    try:
        return max(0, int(raw)) if raw is not None else default
    except ValueError:
        return default


def _text(value: object) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return clean_text(value) if isinstance(value, str) else None


# The conversation's token on GET requests travels in this header, never in the URL (proxies log URLs).
TOKEN_HEADER = "X-Veivalg-Token"


@router.get("", include_in_schema=False)
async def demo_page(idle: str | None = None) -> HTMLResponse:
    idle_seconds = None
    if idle is not None and idle.strip().isdigit():
        idle_seconds = max(MIN_DEMO_IDLE_SECONDS, min(int(idle), 24 * 60 * 60))
    html = _templates().get_template("chat.html").render(idle_seconds=idle_seconds)
    return HTMLResponse(html, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-store"})


@router.get("/widget.js", include_in_schema=False)
async def widget_js() -> FileResponse:
    return FileResponse(
        HERE / "static" / "widget.js", media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/widget.css", include_in_schema=False)
async def widget_css() -> FileResponse:
    return FileResponse(
        HERE / "static" / "widget.css", media_type="text/css; charset=utf-8", headers={"Cache-Control": "no-cache"}
    )


@router.post("/api/session", openapi_extra=_body({"client": {"type": "string", "enum": list(CLIENT_PREFIXES)}}))
async def start_session(request: Request, service: ChatService = Depends(chat)) -> JSONResponse:
    body = await read_json(request, SMALL_BODY_BYTES, allow_empty=True)
    client = body.get("client", "widget")
    if not isinstance(client, str) or client not in CLIENT_PREFIXES:
        raise WidgetApiError(400, "bad_client")
    service.within(f"session:{request.client.host if request.client else '-'}", service.sessions_per_address)
    conversation_id = new_conversation_id(str(client))
    try:
        service.hub.open(conversation_id)
    except HubFull as exc:
        raise WidgetApiError(503, "full") from exc
    return service.json({
        "token": service.signer.sign(conversation_id),
        "idle_seconds": service.settings.idle_seconds,
        "max_chars": service.settings.max_message_chars,
    })


@router.post("/api/message", openapi_extra=_body(
    {"token": {"type": "string"}, "text": {"type": "string"}, "label": {"type": "string"}}, ["token", "text"]))
async def message(request: Request, service: ChatService = Depends(chat)) -> JSONResponse:
    body = await read_json(request, service.message_body_limit)
    conversation_id = service.conversation(body.get("token"))
    text = _text(body.get("text"))
    if text is None:
        raise WidgetApiError(400, "bad_request")
    if not text:
        raise WidgetApiError(422, "empty")
    if len(text) > service.settings.max_message_chars:
        raise WidgetApiError(422, "too_long")
    service.within(f"message:{conversation_id}", limits.MESSAGES_PER_CONVERSATION)
    async with service.locks.hold(conversation_id):
        return service.json(await service.forward(conversation_id, text, _text(body.get("label"))))


@router.post("/api/ticket", openapi_extra=_body({"token": {"type": "string"}}, ["token"]))
async def ticket(request: Request, service: ChatService = Depends(chat)) -> JSONResponse:
    """A single-use ticket for `/api/events`, valid for half a minute: the token stays out of URLs."""
    body = await read_json(request, SMALL_BODY_BYTES)
    conversation_id = service.conversation(body.get("token"))
    return service.json({"ticket": service.tickets.issue(conversation_id)})


@router.get("/api/events")
async def events(
    request: Request, ticket: str = "", after: str | None = None, service: ChatService = Depends(chat)
) -> StreamingResponse:
    conversation_id = service.tickets.redeem(ticket)
    if conversation_id is None or not service.hub.exists(conversation_id):
        raise WidgetApiError(403, "invalid_token")
    start = _whole_number(request.headers.get("last-event-id"), _whole_number(after, 0))
    handle = service.limits.open_stream(conversation_id)
    if handle is None:
        raise WidgetApiError(429, "too_many")

    async def stream() -> AsyncIterator[str]:
        try:
            async for chunk in service.event_stream(conversation_id, start):
                yield chunk
                service.limits.keep_stream(conversation_id, handle)
        except SharedStateUnavailable:
            logger.warning("the chat's shared state did not answer; the event stream ends, the browser reconnects")
        finally:
            with contextlib.suppress(SharedStateUnavailable):  # else the stream's place lapses by itself
                service.limits.close_stream(conversation_id, handle)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("/api/poll")
async def poll(
    request: Request, after: str | None = None, wait: str | None = None, service: ChatService = Depends(chat)
) -> JSONResponse:
    conversation_id = service.conversation(request.headers.get(TOKEN_HEADER))
    seconds = min(float(_whole_number(wait, 25)), MAX_POLL_WAIT_SECONDS)
    messages = await service.hub.wait(conversation_id, _whole_number(after, 0), seconds)
    return service.json({"messages": messages, "ended": not service.hub.exists(conversation_id)})


@router.post("/api/end", openapi_extra=_body({"token": {"type": "string"}}, ["token"]))
async def end(request: Request, service: ChatService = Depends(chat)) -> JSONResponse:
    body = await read_json(request, SMALL_BODY_BYTES)
    try:
        conversation_id = service.signer.conversation_id(body.get("token"))
    except InvalidToken as exc:
        raise WidgetApiError(403, "invalid_token") from exc
    service.hub.end(conversation_id)
    return service.json({"ended": True})


@router.post("/api/speak", openapi_extra=_body(
    {"token": {"type": "string"}, "text": {"type": "string"}}, ["token", "text"]))
async def speak(request: Request, service: ChatService = Depends(chat)) -> Response:
    body = await read_json(request, service.speaker.max_chars * 6 + SMALL_BODY_BYTES)
    conversation_id = service.conversation(body.get("token"))
    service.within(f"speech:{conversation_id}", limits.SPEECH_PER_CONVERSATION)
    text = _text(body.get("text"))
    if text is None:
        raise WidgetApiError(400, "bad_request")
    if not text:
        raise WidgetApiError(422, "empty")
    if len(text) > service.speaker.max_chars:
        raise WidgetApiError(422, "speech_too_long")
    if not service.speaker.available:
        raise WidgetApiError(503, "speech_missing")
    try:
        wav = await service.speaker.speak_async(text)
    except SpeechUnavailable:
        logger.exception("espeak-ng could not read a text aloud")
        raise WidgetApiError(503, "speech_missing") from None
    return Response(wav, media_type="audio/wav", headers={"Cache-Control": "no-store"})


def mount_widget(
    app: FastAPI,
    settings: Settings,
    *,
    hub: MessageHub | None = None,
    gateway: RasaGateway | None = None,
    speaker: Speaker | None = None,
) -> None:
    """Add the chat gateway to the web app: /chat (demo page), /chat/widget.js|css and /chat/api/*.

    With VEIVALG_CHAT_STATE=redis (the scaled profile's web processes) the hub, rate limits, stream tickets
    and conversation locks are shared through Redis, so any web process serves any conversation.
    """
    shared: dict[str, Any] = {}
    if settings.chat_state == "redis":
        from bot.storage.redis_connection import redis_client
        from bot.web.chat.shared import RedisConversationLocks, RedisRateLimiter, RedisTickets

        client = redis_client(CHAT_REDIS_DB)
        shared = {"limits": RedisRateLimiter(client), "tickets": RedisTickets(client),
                  "locks": RedisConversationLocks(client)}
    app.state.chat_widget = ChatService(
        settings,
        hub if hub is not None else get_hub(),
        gateway if gateway is not None else RasaGateway(settings.rasa_url, channel_secret=settings.channel_secret),
        speaker if speaker is not None else Speaker(),
        **shared,
    )

    async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, WidgetApiError)
        return error_response(exc.status, exc.code)

    async def handle_shared_state_down(request: Request, exc: Exception) -> JSONResponse:
        logger.error("the chat's shared state (Redis) did not answer: %s", exc)
        return error_response(503, "unavailable")

    app.add_exception_handler(WidgetApiError, handle_api_error)
    app.add_exception_handler(SharedStateUnavailable, handle_shared_state_down)
    app.add_middleware(ChatGuard, allowed_origins=settings.allowed_origins)
    app.include_router(router)
