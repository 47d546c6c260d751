"""Review-app sessions on the server: ended by logout or a disabled account, after 30 idle minutes or 8 hours."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import aware, utcnow
from bot.storage.tables.accounts import ReviewSession

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=8)


def _key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(user_id: int, *, session: Session) -> str:
    """A new session for a login; the token goes in the signed cookie, only its hash is stored."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(ReviewSession(id=_key(token), user_id=user_id, created_at=now, last_seen_at=now))
    return token


def _expired(row: ReviewSession, now: datetime) -> bool:
    """Idle for 30 minutes or 8 hours old."""
    created, seen = aware(row.created_at), aware(row.last_seen_at)
    return created is None or seen is None or now - created > ABSOLUTE or now - seen > IDLE


def still_open(token: str | None, user_id: int, *, session: Session, now: datetime | None = None) -> bool:
    """True while the session is neither ended, idle for 30 minutes nor 8 hours old; then it counts as seen."""
    if not token:
        return False
    row = session.get(ReviewSession, _key(token))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return False
    now = now or utcnow()
    if _expired(row, now):
        row.ended_at = now
        return False
    row.last_seen_at = now
    return True


def close_session(token: str | None, *, session: Session) -> None:
    """Logout: the session ends on the server, so a copied cookie opens nothing."""
    if token:
        session.execute(update(ReviewSession).where(ReviewSession.id == _key(token), ReviewSession.ended_at.is_(None))
                        .values(ended_at=utcnow()))


def open_sessions(user_id: int, *, session: Session, now: datetime | None = None) -> list[ReviewSession]:
    """The user's sessions that still let someone in, newest first."""
    now = now or utcnow()
    rows = session.execute(
        select(ReviewSession).where(ReviewSession.user_id == user_id, ReviewSession.ended_at.is_(None))
        .order_by(ReviewSession.last_seen_at.desc())
    ).scalars()
    return [row for row in rows if not _expired(row, now)]


def is_this(row: ReviewSession, token: str | None) -> bool:
    """True when `row` is the session of this cookie's token."""
    return bool(token) and row.id == _key(str(token))


def close_others(user_id: int, keep: str | None, *, session: Session) -> int:
    """End every open session of the user except the one of `keep`; how many were ended."""
    query = update(ReviewSession).where(ReviewSession.user_id == user_id, ReviewSession.ended_at.is_(None))
    if keep:
        query = query.where(ReviewSession.id != _key(keep))
    return int(session.execute(query.values(ended_at=utcnow())).rowcount or 0)


def close_all_for(user_id: int, *, session: Session) -> None:
    """Every open session of a user, for example when the account is disabled."""
    close_others(user_id, None, session=session)
