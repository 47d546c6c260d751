"""The one ASGI application served on VEIVALG_WEB_PORT (default 8000)."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.middleware.base import RequestResponseEndpoint

from bot.settings import Settings, get_settings

# Served over HTTPS (secure cookies on): browsers use HTTPS only for a year, never plain HTTP.
HSTS = "max-age=31536000; includeSubDomains"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app: review pages under /review, the chat widget under /chat."""
    from bot.web.chat.routes import mount_widget
    from bot.web.review.app import mount_review

    settings = settings or get_settings()
    app = FastAPI(title="Veivalg", docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.settings = settings

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    if settings.secure_cookies:

        @app.middleware("http")
        async def strict_transport(request: Request, call_next: RequestResponseEndpoint) -> Response:
            response = await call_next(request)
            response.headers.setdefault("Strict-Transport-Security", HSTS)
            return response

    mount_review(app, settings)
    mount_widget(app, settings)
    return app
