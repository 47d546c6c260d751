"""The audit log: who read, exported, deleted or annotated which conversation, and every login."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clock import LOCAL_TZ, utcnow
from bot.storage.tables.audit import AuditEntry

ACTIONS = {
    "login": "Logget inn",
    "login_failed": "Feil brukernavn eller passord",
    "login_locked": "Innlogging sperret etter for mange forsøk",
    "login_wait": "Nytt forsøk for tett på det forrige",
    "logout": "Logget ut",
    "list": "Så samtalelisten",
    "read": "Leste en samtale",
    "not_found": "Prøvde å åpne en samtale som ikke finnes",
    "export_json": "Eksporterte samtale (JSON)",
    "export_csv": "Eksporterte samtale (CSV)",
    "print": "Åpnet utskrift av samtale",
    "delete": "Slettet en samtale",
    "note": "Skrev et notat",
    "tag_add": "La til et merke",
    "tag_remove": "Fjernet et merke",
    "status": "Endret status",
    "dashboard": "Så kvalitetstallene",
    "user_create": "Opprettet en bruker",
    "user_enable": "Ga en bruker tilgang igjen",
    "user_disable": "Stengte en brukers tilgang",
    "audit": "Så loggen",
    "denied": "Ble nektet tilgang",
    "queue": "Så køen",
    "online": "Satte seg som pålogget eller avlogget",
    "handoff_take": "Tok en sak fra køen",
    "handoff_take_over_from": "Overtok en sak en annen veileder hadde",
    "handoff_done": "Merket en sak som ferdig",
    "takeover": "Tok over en samtale",
    "counsellor_message": "Skrev til en bruker",
    "hand_back": "Ga samtalen tilbake til Veivalg",
    "live_read": "Fulgte en samtale direkte",
    "password_change": "Byttet passord (andre pålogginger ble avsluttet)",
    "password_change_failed": "Prøvde å bytte passord uten å lykkes",
    "sessions_end_others": "Logget ut sine andre pålogginger",
    "live_poll": "Leste nye meldinger i en direkte samtale (høyst én linje i minuttet)",
}


@dataclass(frozen=True)
class AuditFilters:
    """Filters for the audit page; None or empty means «no matter»."""

    username: str | None = None
    action: str | None = None
    sender_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def record(
    action: str,
    *,
    session: Session,
    username: str,
    role: str | None = None,
    sender_id: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Add an entry to the audit log (in the caller's transaction)."""
    entry = AuditEntry(
        at=utcnow(), username=username[:64], role=role, action=action, sender_id=sender_id,
        detail=(detail or None) and str(detail)[:500],
    )
    session.add(entry)
    return entry


def summaries_shown(contact_codes: Iterable[str]) -> str | None:
    """The audit detail of a queue view: whose shared summaries were on the screen."""
    shown = list(contact_codes)
    return f"sammendrag vist: {', '.join(shown)}" if shown else None


READING_INTERVAL = timedelta(minutes=1)


def record_reading(
    action: str,
    *,
    session: Session,
    username: str,
    role: str | None = None,
    sender_id: str | None = None,
    detail: str | None = None,
    every: timedelta = READING_INTERVAL,
) -> AuditEntry | None:
    """Audit a read that repeats (a live chat polled every few seconds): one entry per `every` while it goes on."""
    since = utcnow() - every
    recent = session.execute(
        select(AuditEntry.id).where(
            AuditEntry.username == username[:64], AuditEntry.action == action,
            AuditEntry.sender_id == sender_id, AuditEntry.at >= since,
        ).limit(1)
    ).first()
    if recent is not None:
        return None
    return record(action, session=session, username=username, role=role, sender_id=sender_id, detail=detail)


def _where(filters: AuditFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.username:
        conditions.append(AuditEntry.username == filters.username.strip().lower())
    if filters.action:
        conditions.append(AuditEntry.action == filters.action)
    if filters.sender_id:
        conditions.append(AuditEntry.sender_id == filters.sender_id.strip())
    if filters.date_from:
        conditions.append(AuditEntry.at >= datetime.combine(filters.date_from, time.min, tzinfo=LOCAL_TZ))
    if filters.date_to:
        end = datetime.combine(filters.date_to, time.min, tzinfo=LOCAL_TZ) + timedelta(days=1)
        conditions.append(AuditEntry.at < end)
    return conditions


def entries(
    *, session: Session, filters: AuditFilters | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[AuditEntry], int]:
    """One page of entries, newest first, and how many match in all."""
    conditions = _where(filters or AuditFilters())
    total = int(session.execute(select(func.count(AuditEntry.id)).where(*conditions)).scalar_one())
    rows = session.execute(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    ).scalars()
    return list(rows), total
