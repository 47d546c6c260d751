"""Sessions and CSRF for the review app: a signed cookie, a token per session, safe redirects."""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

from starlette.requests import Request

SESSION_COOKIE = "veivalg_review"
MAX_AGE_SECONDS = 8 * 60 * 60
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class Identity:
    """Who the session says is logged in; the routes check the user still exists and is active."""

    user_id: int
    username: str
    role: str
    session_token: str | None = None  # the server-side session (bot/staff/sessions.py)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (also before login)."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def csrf_valid(request: Request, submitted: str | None) -> bool:
    """True when the form carried the session's token."""
    expected = request.session.get("csrf")
    if not isinstance(expected, str) or not submitted:
        return False
    return hmac.compare_digest(expected.encode(), submitted.encode())


def start_session(request: Request, user_id: int, username: str, role: str, token: str) -> None:
    """A fresh session after login: nothing kept from before, a new session id and CSRF token."""
    request.session.clear()
    request.session.update(
        {"uid": user_id, "user": username, "role": role, "login_at": int(time.time()), "sid": token}
    )
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request) -> None:
    """Forget everything in the session."""
    request.session.clear()


def identity(request: Request, now: float | None = None) -> Identity | None:
    """The logged-in person, or None (also when the login is older than eight hours)."""
    session = request.session
    uid, user, role, login_at = session.get("uid"), session.get("user"), session.get("role"), session.get("login_at")
    if not isinstance(uid, int) or not isinstance(user, str) or not isinstance(role, str):
        return None
    if not isinstance(login_at, int) or (now or time.time()) - login_at > MAX_AGE_SECONDS:
        return None
    token = session.get("sid")
    return Identity(user_id=uid, username=user, role=role, session_token=token if isinstance(token, str) else None)


def flash(request: Request, message: str) -> None:
    """A short message shown once on the next page."""
    messages = list(request.session.get("flash") or [])
    request.session["flash"] = [*messages, message][-3:]


def take_flashes(request: Request) -> list[str]:
    """The messages waiting for this page; they are shown once."""
    messages = request.session.pop("flash", None) or []
    return [str(m) for m in messages]


def safe_next(target: str | None, root: str) -> str | None:
    """Only paths inside the review app may be a redirect target after login."""
    if not target or not target.startswith(root + "/") or target.startswith("//") or "\\" in target:
        return None
    return target
