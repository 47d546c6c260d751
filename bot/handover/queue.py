"""The counsellors' queue: one entry per conversation, contact codes, taking and closing, who is online."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.clock import aware, utcnow
from bot.handover.texts import REASON_WEIGHT
from bot.storage.tables.handover import DONE, NEW, TAKEN, CounsellorPresence, Handoff

# No 0/O, 1/I/L: the code is read aloud and copied by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ONLINE_MINUTES = 60


def new_contact_code() -> str:
    """A short code like `K7-3F9` the user can give the prison school, instead of their name."""
    pick = secrets.choice
    return f"{pick(CODE_ALPHABET[8:])}{pick(CODE_ALPHABET[:8])}-" + "".join(pick(CODE_ALPHABET) for _ in range(3))


def open_handoff_for(sender_id: str, *, session: Session) -> Handoff | None:
    """The conversation's handoff that is not done yet, if any."""
    query = select(Handoff).where(Handoff.sender_id == sender_id, Handoff.status != DONE).order_by(Handoff.id.desc())
    return session.execute(query).scalars().first()


def request_handoff(
    sender_id: str,
    *,
    session: Session,
    reason: str = "request",
    urgent: bool = False,
    live: bool = False,
    summary: str | None = None,
    channel: str | None = None,
    language: str | None = None,
) -> Handoff:
    """Queue a handoff, or update the open one: one entry per conversation, urgent once urgent."""
    existing = open_handoff_for(sender_id, session=session)
    if existing is not None:
        existing.urgent = bool(existing.urgent or urgent)
        existing.live = bool(existing.live or live)
        if REASON_WEIGHT.get(reason, 0) > REASON_WEIGHT.get(existing.reason, 0):
            existing.reason = reason
        if summary:
            existing.summary = summary
        if language and language != existing.language:
            existing.language = language
        return existing
    code = new_contact_code()
    while session.execute(select(Handoff.id).where(Handoff.contact_code == code)).first() is not None:
        code = new_contact_code()
    handoff = Handoff(
        sender_id=sender_id, contact_code=code, status=NEW, urgent=urgent, reason=reason, live=live,
        summary=summary, channel=channel, language=language, created_at=utcnow(),
    )
    session.add(handoff)
    session.flush()
    return handoff


def flag_for_safety(
    sender_id: str, level: str, *, session: Session, channel: str | None = None, language: str | None = None
) -> Handoff:
    """Queue a conversation with signs of crisis, a threat or a possible sign: its reason, urgent or not."""
    from bot.safety.response import URGENT, reason_for

    return request_handoff(
        sender_id, session=session, reason=reason_for(level), urgent=URGENT[level], channel=channel, language=language
    )


def queue(*, session: Session, statuses: Iterable[str] = (NEW, TAKEN)) -> list[Handoff]:
    """The queue: urgent first, then oldest first."""
    query = (
        select(Handoff)
        .where(Handoff.status.in_(list(statuses)))
        .order_by(Handoff.urgent.desc(), Handoff.created_at, Handoff.id)
    )
    return list(session.execute(query).scalars())


def take(handoff_id: int, username: str, *, session: Session, from_someone_else: bool = False) -> Handoff | None:
    """A counsellor takes a handoff; None when it does not exist, is done, or another counsellor holds it.

    Taking an entry someone else holds needs `from_someone_else` (the deliberate «overta», audited).
    """
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.status == DONE:
        return None
    held_by_other = handoff.status == TAKEN and handoff.taken_by not in (None, username)
    if held_by_other and not from_someone_else:
        return None
    handoff.status, handoff.taken_by, handoff.taken_at = TAKEN, username, utcnow()
    return handoff


def close(handoff_id: int, *, session: Session, username: str | None = None, admin: bool = False) -> Handoff | None:
    """Mark a handoff done; only the counsellor who holds it (or an admin) may, so None otherwise."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        return None
    if not admin and handoff.taken_by is not None and handoff.taken_by != username:
        return None
    handoff.status, handoff.closed_at = DONE, utcnow()
    return handoff


def set_online(username: str, online: bool, *, session: Session, minutes: int = ONLINE_MINUTES) -> None:
    """A counsellor is online for the next `minutes`, or goes offline now."""
    until = utcnow() + timedelta(minutes=minutes) if online else utcnow() - timedelta(seconds=1)
    row = session.get(CounsellorPresence, username)
    if row is None:
        session.add(CounsellorPresence(username=username, online_until=until))
    else:
        session.execute(update(CounsellorPresence).where(CounsellorPresence.username == username)
                        .values(online_until=until))


def is_online(username: str, *, session: Session) -> bool:
    """True while this counsellor's online period lasts."""
    row = session.get(CounsellorPresence, username)
    return row is not None and aware(row.online_until) > utcnow()


def anyone_online(*, session: Session) -> bool:
    """True when at least one counsellor can chat now."""
    rows = session.execute(select(CounsellorPresence.online_until)).scalars()
    now = utcnow()
    return any(aware(until) > now for until in rows)

