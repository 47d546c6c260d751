"""Handing a conversation over to a human counsellor: the queue, contact codes and who is online."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text, select, update
from sqlalchemy.orm import Session

from bot.db import Base

NEW, TAKEN, DONE = "new", "taken", "done"
STATUSES = (NEW, TAKEN, DONE)
REASONS = {"request": "Ba om en veileder", "crisis": "Krise: selvskading, selvmord eller trusler",
           "not_understood": "Boten forsto ikke", "hopelessness": "Motløs"}
# No 0/O, 1/I/L: the code is read aloud and copied by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
ONLINE_MINUTES = 60
TEXTS = Path(__file__).resolve().parents[1] / "data" / "handover" / "texts.yml"


@lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    """The handover's texts, kept in data/handover/texts.yml."""
    loaded: dict[str, Any] = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    return loaded


class Handoff(Base):
    """A request to talk to a person, waiting in the counsellors' queue."""

    __tablename__ = "handoffs"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    contact_code = Column(String(12), nullable=False, unique=True)
    status = Column(String(10), nullable=False, default=NEW)
    urgent = Column(Boolean, nullable=False, default=False)
    reason = Column(String(20), nullable=False, default="request")
    live = Column(Boolean, nullable=False, default=False)
    channel = Column(String(30))
    summary = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False)
    taken_by = Column(String(100))
    taken_at = Column(DateTime(timezone=True))
    closed_at = Column(DateTime(timezone=True))

    def as_dict(self) -> dict[str, Any]:
        """The queue entry for `veivalg handoffs list --json` and the review app."""
        return {
            "id": self.id, "sender_id": self.sender_id, "contact_code": self.contact_code, "status": self.status,
            "urgent": bool(self.urgent), "reason": self.reason, "live": bool(self.live), "channel": self.channel,
            "summary": self.summary, "created_at": _iso(self.created_at), "taken_by": self.taken_by,
            "taken_at": _iso(self.taken_at), "closed_at": _iso(self.closed_at),
        }


class CounsellorPresence(Base):
    """A counsellor who said «jeg er pålogget» in the review app, until when."""

    __tablename__ = "counsellor_presence"

    username = Column(String(100), primary_key=True)
    online_until = Column(DateTime(timezone=True), nullable=False)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else _aware(value).isoformat()


def _aware(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they are stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


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
) -> Handoff:
    """Queue a handoff, or update the open one: one entry per conversation, urgent once urgent."""
    existing = open_handoff_for(sender_id, session=session)
    if existing is not None:
        existing.urgent = bool(existing.urgent or urgent)
        existing.live = bool(existing.live or live)
        if urgent:
            existing.reason = "crisis"
        if summary:
            existing.summary = summary
        return existing
    code = new_contact_code()
    while session.execute(select(Handoff.id).where(Handoff.contact_code == code)).first() is not None:
        code = new_contact_code()
    handoff = Handoff(
        sender_id=sender_id, contact_code=code, status=NEW, urgent=urgent, reason=reason, live=live,
        summary=summary, channel=channel, created_at=_now(),
    )
    session.add(handoff)
    session.flush()
    return handoff


def queue(*, session: Session, statuses: Iterable[str] = (NEW, TAKEN)) -> list[Handoff]:
    """The queue: urgent first, then oldest first."""
    query = (
        select(Handoff)
        .where(Handoff.status.in_(list(statuses)))
        .order_by(Handoff.urgent.desc(), Handoff.created_at, Handoff.id)
    )
    return list(session.execute(query).scalars())


def take(handoff_id: int, username: str, *, session: Session) -> Handoff | None:
    """A counsellor takes a handoff; None when it does not exist or is done."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.status == DONE:
        return None
    handoff.status, handoff.taken_by, handoff.taken_at = TAKEN, username, _now()
    return handoff


def close(handoff_id: int, *, session: Session) -> Handoff | None:
    """Mark a handoff done."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        return None
    handoff.status, handoff.closed_at = DONE, _now()
    return handoff


def set_online(username: str, online: bool, *, session: Session, minutes: int = ONLINE_MINUTES) -> None:
    """A counsellor is online for the next `minutes`, or goes offline now."""
    until = _now() + timedelta(minutes=minutes) if online else _now() - timedelta(seconds=1)
    row = session.get(CounsellorPresence, username)
    if row is None:
        session.add(CounsellorPresence(username=username, online_until=until))
    else:
        session.execute(update(CounsellorPresence).where(CounsellorPresence.username == username)
                        .values(online_until=until))


def is_online(username: str, *, session: Session) -> bool:
    """True while this counsellor's online period lasts."""
    row = session.get(CounsellorPresence, username)
    return row is not None and _aware(row.online_until) > _now()


def anyone_online(*, session: Session) -> bool:
    """True when at least one counsellor can chat now."""
    rows = session.execute(select(CounsellorPresence.online_until)).scalars()
    now = _now()
    return any(_aware(until) > now for until in rows)


def summary_for_counsellor(slots: Mapping[str, Any], *, session: Session) -> str:
    """«Min plan» line by line, with personal data removed: what the user agreed to share."""
    from bot.plan import plan_lines
    from bot.redaction import redact_text

    lines = [line.text for line in plan_lines(slots, session=session)]
    if not lines:
        return "Ingen «min plan» ennå."
    return redact_text("\n".join(["Min plan:", *(f"- {line}" for line in lines)]))
