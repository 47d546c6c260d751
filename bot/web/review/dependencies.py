"""What the review app's routes depend on: a database session per request, the logged-in user, a valid form."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from sqlalchemy.orm import Session

from bot.privacy import transcripts
from bot.settings import Settings
from bot.staff import accounts, audit, sessions
from bot.storage.tables.accounts import User
from bot.web.review import security

READERS = ("counsellor", "admin")
COUNSELLORS = ("counsellor", "admin")
QUALITY = ("leader", "admin")
ADMINS = ("admin",)


class LoginRequired(Exception):
    """Nobody (or a closed or changed account) is logged in: log in first."""

    def __init__(self, target: str, api: bool = False) -> None:
        super().__init__(target)
        self.target = target
        self.api = api


class PageError(Exception):
    """A refusal shown as the app's error page (403, 404)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def settings_of(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def transaction(request: Request) -> Iterator[Session]:
    """One transaction per request; what was recorded before a refusal (the audit log) is kept."""
    session: Session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except (LoginRequired, PageError):
        session.commit()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# Committed before the answer leaves (scope "function"): a browser that follows the redirect after a login or a
# saved note finds what it was promised, and a commit that fails is an error page, never a success already sent.
database = Depends(transaction, scope="function")


def user_with_role(*roles: str, api: bool = False) -> Callable[..., User]:
    """A dependency: the logged-in, active user with one of `roles`; otherwise a login page or a 403."""

    def current_user(request: Request, db: Session = database) -> User:
        who = security.identity(request)
        user = accounts.get_user(who.user_id, session=db) if who else None
        ended = who is None or not sessions.still_open(who.session_token, who.user_id, session=db)
        if who is None or ended or user is None or not user.active or user.role != who.role:
            security.end_session(request)
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target, api=api)
        if user.role not in roles:
            audit.record("denied", session=db, username=user.username, role=user.role, detail=request.url.path)
            raise PageError(403)
        return user

    return current_user


def valid_form(request: Request, csrf_token: str = Form("")) -> None:
    """A dependency: the form carried the session's CSRF token."""
    if not security.csrf_valid(request, csrf_token):
        raise PageError(403)


def record(db: Session, user: User, action: str, sender_id: str | None = None, detail: str | None = None) -> None:
    """One line in the audit log for what this user did."""
    audit.record(action, session=db, username=user.username, role=user.role, sender_id=sender_id, detail=detail)


def require_stored(db: Session, user: User, sender_id: str) -> None:
    """404 (audited) when no conversation is stored under this id."""
    if not transcripts.conversation_exists(sender_id, session=db):
        audit.record("not_found", session=db, username=user.username, role=user.role, sender_id=sender_id[:255])
        raise PageError(404)


def login_redirect_target(error: LoginRequired) -> str:
    """The login page's address, with where to go after."""
    return "/login?" + urlencode({"neste": error.target})
