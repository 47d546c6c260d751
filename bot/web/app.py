"""The one ASGI application served on VEIVALG_WEB_PORT (default 8000)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from bot.settings import Settings, get_settings


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

    mount_review(app, settings)
    mount_widget(app, settings)
    return app
