"""The chat gateway under /chat: demo page, widget files, and the JSON and event-stream API for clients."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.buttons import select_button
from bot.inbound import clean_text
from bot.settings import Settings
from bot.widget.gateway import TECHNICAL_PROBLEM, BotMessage, RasaGateway, RasaUnavailable
from bot.widget.hub import ConversationGone, Hub, get_hub
from bot.widget.speech import Speaker, SpeechUnavailable
from bot.widget.tokens import CLIENT_PREFIXES, InvalidToken, TokenSigner, client_of, new_conversation_id

logger = logging.getLogger(__name__)

PREFIX = "/chat"
HERE = Path(__file__).parent
HEARTBEAT_SECONDS = 15.0
MAX_POLL_WAIT_SECONDS = 30.0
MIN_DEMO_IDLE_SECONDS = 3
MAX_LABEL_CHARS = 200
SMALL_BODY_BYTES = 4096

TEXTS = {
    "invalid_token": "Samtalen er ikke gyldig lenger. Trykk «Ny samtale» for å begynne på nytt.",
    "origin": "Denne nettsiden har ikke lov til å bruke Veivalg-chatten.",
    "bad_request": "Vi klarte ikke å lese forespørselen. Den må være JSON.",
    "bad_client": "Ukjent klient. Bruk «widget» eller «terminal».",
    "body_too_large": "Forespørselen er for stor.",
    "empty": "Du har ikke skrevet noe ennå. Skriv en melding, eller velg en knapp.",
    "too_long": "Meldingen din er for lang. Kan du skrive det kortere? Del det gjerne opp i flere meldinger.",
    "speech_too_long": "Teksten er for lang til å leses opp.",
    "speech_missing": "Opplesing virker ikke på denne maskinen akkurat nå. Si gjerne fra til en ansatt.",
}

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "media-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)


def _body(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """The JSON body of a gateway call, for the OpenAPI description (the routes read and check it themselves)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"requestBody": {"content": {"application/json": {"schema": schema}}, "required": bool(required)}}


class WidgetApiError(Exception):
    """An API request that gets a JSON error with a Norwegian message."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def error_response(status: int, code: str) -> JSONResponse:
    """`{"error": true, "code": ..., "message": <Norwegian>}` with the given status."""
    return JSONResponse(
        {"error": True, "code": code, "message": TEXTS[code]},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


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


class ConversationLocks:
    """One asyncio lock per conversation, so its messages reach Rasa one at a time and in order."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold the conversation's lock; forget the lock when nobody uses it."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class ChatGuard:
    """ASGI middleware for /chat: Origin checks, CORS for allowed origins, and safe default headers.

    Requests without an Origin header and requests from the page's own origin always pass. Under
    /chat/api/, a request from any other origin not in `allowed_origins` gets 403, and its preflight
    gets no CORS headers.
    """

    def __init__(self, app: ASGIApp, allowed_origins: Iterable[str] = (), prefix: str = PREFIX) -> None:
        self.app = app
        self.allowed = {origin.lower().rstrip("/") for origin in allowed_origins}
        self.prefix = prefix

    def origin_allowed(self, origin: str, host: str | None) -> bool:
        """The page's own origin, or one of the configured ones."""
        if origin.lower().rstrip("/") in self.allowed:
            return True
        netloc = urlsplit(origin).netloc.lower()
        return bool(netloc) and netloc == (host or "").lower()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == self.prefix or path.startswith(self.prefix + "/")):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        is_api = path.startswith(self.prefix + "/api/")
        allowed = origin is None or self.origin_allowed(origin, headers.get("host"))
        if is_api and origin is not None and not allowed:
            await error_response(403, "origin")(scope, receive, send)
            return
        cors: dict[str, str] = {}
        if is_api and origin is not None:
            cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        if is_api and scope["method"] == "OPTIONS":
            preflight = Response(status_code=204, headers=cors)
            if origin is not None and headers.get("access-control-request-method"):
                preflight.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                preflight.headers["Access-Control-Allow-Headers"] = "Content-Type, Last-Event-ID"
                preflight.headers["Access-Control-Max-Age"] = "600"
            await preflight(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                response_headers = MutableHeaders(scope=message)
                response_headers["X-Content-Type-Options"] = "nosniff"
                response_headers["Referrer-Policy"] = "no-referrer"
                for name, value in cors.items():
                    response_headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ChatWidget:
    """The routes of the gateway, with what they share: settings, hub, Rasa gateway, speech and token signer."""

    def __init__(self, settings: Settings, hub: Hub, gateway: RasaGateway, speaker: Speaker) -> None:
        self.settings = settings
        self.hub = hub
        self.gateway = gateway
        self.speaker = speaker
        self.signer = TokenSigner(settings.secret_key)
        self.locks = ConversationLocks()
        self.templates = Environment(
            loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"])
        )
        self.message_body_limit = settings.max_message_chars * 6 + SMALL_BODY_BYTES

    def conversation(self, token: object) -> str:
        """The open conversation a token names; 403 when the token is invalid or the conversation is gone."""
        try:
            conversation_id = self.signer.conversation_id(token)
        except InvalidToken as exc:
            raise WidgetApiError(403, "invalid_token") from exc
        if not self.hub.exists(conversation_id):
            raise WidgetApiError(403, "invalid_token")
        return conversation_id

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

    def router(self) -> APIRouter:
        """Every route under /chat."""
        router = APIRouter(prefix=PREFIX, tags=["chat"])

        @router.get("", include_in_schema=False)
        async def demo_page(idle: str | None = None) -> HTMLResponse:
            idle_seconds = None
            if idle is not None and idle.strip().isdigit():
                idle_seconds = max(MIN_DEMO_IDLE_SECONDS, min(int(idle), 24 * 60 * 60))
            html = self.templates.get_template("chat.html").render(idle_seconds=idle_seconds)
            return HTMLResponse(
                html, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-store"}
            )

        @router.get("/widget.js", include_in_schema=False)
        async def widget_js() -> FileResponse:
            return FileResponse(
                HERE / "static" / "widget.js",
                media_type="text/javascript; charset=utf-8",
                headers={"Cache-Control": "no-cache"},
            )

        @router.get("/widget.css", include_in_schema=False)
        async def widget_css() -> FileResponse:
            return FileResponse(
                HERE / "static" / "widget.css",
                media_type="text/css; charset=utf-8",
                headers={"Cache-Control": "no-cache"},
            )

        @router.post("/api/session", openapi_extra=_body({"client": {"type": "string", "enum": list(CLIENT_PREFIXES)}}))
        async def start_session(request: Request) -> JSONResponse:
            body = await read_json(request, SMALL_BODY_BYTES, allow_empty=True)
            client = body.get("client", "widget")
            if not isinstance(client, str) or client not in CLIENT_PREFIXES:
                raise WidgetApiError(400, "bad_client")
            conversation_id = new_conversation_id(str(client))
            self.hub.open(conversation_id)
            return self.json(
                {
                    "token": self.signer.sign(conversation_id),
                    "idle_seconds": self.settings.idle_seconds,
                    "max_chars": self.settings.max_message_chars,
                }
            )

        @router.post("/api/message", openapi_extra=_body(
            {"token": {"type": "string"}, "text": {"type": "string"}, "label": {"type": "string"}}, ["token", "text"]))
        async def message(request: Request) -> JSONResponse:
            body = await read_json(request, self.message_body_limit)
            conversation_id = self.conversation(body.get("token"))
            text = _text(body.get("text"))
            if text is None:
                raise WidgetApiError(400, "bad_request")
            if not text:
                raise WidgetApiError(422, "empty")
            if len(text) > self.settings.max_message_chars:
                raise WidgetApiError(422, "too_long")
            async with self.locks.hold(conversation_id):
                return self.json(await self.forward(conversation_id, text, _text(body.get("label"))))

        @router.get("/api/events")
        async def events(request: Request, token: str = "", after: str | None = None) -> StreamingResponse:
            conversation_id = self.conversation(token)
            start = _whole_number(request.headers.get("last-event-id"), _whole_number(after, 0))
            return StreamingResponse(
                self.event_stream(conversation_id, start),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
            )

        @router.get("/api/poll")
        async def poll(token: str = "", after: str | None = None, wait: str | None = None) -> JSONResponse:
            conversation_id = self.conversation(token)
            seconds = min(float(_whole_number(wait, 25)), MAX_POLL_WAIT_SECONDS)
            messages = await self.hub.wait(conversation_id, _whole_number(after, 0), seconds)
            return self.json({"messages": messages, "ended": not self.hub.exists(conversation_id)})

        @router.post("/api/end", openapi_extra=_body({"token": {"type": "string"}}, ["token"]))
        async def end(request: Request) -> JSONResponse:
            body = await read_json(request, SMALL_BODY_BYTES)
            try:
                conversation_id = self.signer.conversation_id(body.get("token"))
            except InvalidToken as exc:
                raise WidgetApiError(403, "invalid_token") from exc
            self.hub.end(conversation_id)
            return self.json({"ended": True})

        @router.post("/api/speak", openapi_extra=_body(
            {"token": {"type": "string"}, "text": {"type": "string"}}, ["token", "text"]))
        async def speak(request: Request) -> Response:
            body = await read_json(request, self.speaker.max_chars * 6 + SMALL_BODY_BYTES)
            self.conversation(body.get("token"))
            text = _text(body.get("text"))
            if text is None:
                raise WidgetApiError(400, "bad_request")
            if not text:
                raise WidgetApiError(422, "empty")
            if len(text) > self.speaker.max_chars:
                raise WidgetApiError(422, "speech_too_long")
            if not self.speaker.available:
                raise WidgetApiError(503, "speech_missing")
            try:
                wav = await self.speaker.speak_async(text)
            except SpeechUnavailable:
                logger.exception("espeak-ng could not read a text aloud")
                raise WidgetApiError(503, "speech_missing") from None
            return Response(wav, media_type="audio/wav", headers={"Cache-Control": "no-store"})

        return router

    def json(self, content: dict[str, Any]) -> JSONResponse:
        """A JSON answer that no browser or proxy keeps."""
        return JSONResponse(content, headers={"Cache-Control": "no-store"})

    async def forward(self, conversation_id: str, text: str, label: str | None) -> dict[str, Any]:
        """Log the user's message, ask Rasa, log the answers; Rasa down gives a kind message and `error`."""
        try:
            first = self.hub.append(conversation_id, "user", self.shown_text(conversation_id, text, label))
        except ConversationGone as exc:
            raise WidgetApiError(403, "invalid_token") from exc
        error = False
        try:
            answers = await self.gateway.send(conversation_id, text, client_of(conversation_id))
        except RasaUnavailable as exc:
            logger.warning("Rasa did not answer (%s); the user got the technical-problem message", exc)
            answers, error = [BotMessage(TECHNICAL_PROBLEM)], True
        seqs = {first}
        try:
            for answer in answers:
                seqs.add(self.hub.append(conversation_id, "bot", answer.text, answer.buttons))
        except ConversationGone as exc:  # the user started a new conversation while Rasa was thinking
            raise WidgetApiError(403, "invalid_token") from exc
        messages = [m for m in self.hub.messages_after(conversation_id, first - 1) if m["seq"] in seqs]
        return {"messages": messages, "error": error}

    async def event_stream(self, conversation_id: str, after: int) -> AsyncIterator[str]:
        """Server-sent events: replay after `after`, then live messages, heartbeats, and `end` when it ends."""
        yield "retry: 3000\n\n"
        last = after
        while True:
            messages = await self.hub.wait(conversation_id, last, HEARTBEAT_SECONDS)
            for message in messages:
                yield f"id: {message['seq']}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"
                last = message["seq"]
            if not self.hub.exists(conversation_id):
                yield "event: end\ndata: {}\n\n"
                return
            if not messages:
                yield ": heartbeat\n\n"


def mount_widget(
    app: FastAPI,
    settings: Settings,
    *,
    hub: Hub | None = None,
    gateway: RasaGateway | None = None,
    speaker: Speaker | None = None,
) -> None:
    """Add the chat gateway to the web app: /chat (demo page), /chat/widget.js|css and /chat/api/*."""
    widget = ChatWidget(
        settings,
        hub if hub is not None else get_hub(),
        gateway if gateway is not None else RasaGateway(settings.rasa_url),
        speaker if speaker is not None else Speaker(),
    )
    app.state.chat_widget = widget

    async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, WidgetApiError)
        return error_response(exc.status, exc.code)

    app.add_exception_handler(WidgetApiError, handle_api_error)
    app.add_middleware(ChatGuard, allowed_origins=settings.allowed_origins)
    app.include_router(widget.router())
