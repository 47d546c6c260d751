"""ASGI middleware for /chat: Origin checks, CORS for allowed origins, and safe default headers."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi.responses import Response
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.chat.errors import error_response

PREFIX = "/chat"


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
                preflight.headers["Access-Control-Allow-Headers"] = "Content-Type, Last-Event-ID, X-Veivalg-Token"
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
