"""The review app under /review: its own session cookie, security headers, error pages and the page groups."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from bot.settings import Settings
from bot.storage.engine import conversation_session_factory
from bot.storage.schema import create_tables
from bot.web.review import account, admin, auth, conversations, quality, queue, security
from bot.web.review.dependencies import LoginRequired, PageError, login_redirect_target
from bot.web.review.rendering import HERE, error_page, redirect, root

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def mount_review(app: FastAPI, settings: Settings) -> None:
    """Serve the review app under /review in the web process."""
    app.mount("/review", create_review_app(settings))


def create_review_app(settings: Settings) -> FastAPI:
    """The review app as its own ASGI app with its own session cookie (mounted at /review)."""
    review = FastAPI(title="Veivalg gjennomgang", docs_url=None, redoc_url=None, openapi_url=None)
    review.state.settings = settings
    create_tables(settings.database_url)
    review.state.sessions = conversation_session_factory(settings)

    @review.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if not request.url.path.startswith(root(request) + "/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    review.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key, session_cookie=security.SESSION_COOKIE,
        max_age=security.MAX_AGE_SECONDS, path="/review", same_site="strict", https_only=settings.secure_cookies,
    )
    review.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @review.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if exc.api:
            return PlainTextResponse("Du må logge inn.", status_code=401)
        return redirect(request, login_redirect_target(exc))

    @review.exception_handler(PageError)
    async def page_error(request: Request, exc: PageError) -> Response:
        return error_page(request, exc.status)

    @review.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (403, 404):
            return error_page(request, exc.status_code)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    for group in (auth, conversations, quality, admin, queue, account):
        review.include_router(group.router)
    return review
