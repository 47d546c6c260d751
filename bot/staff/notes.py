"""What counsellors add to a conversation: notes, tags and a review status."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.clock import utcnow
from bot.storage.tables.notes import Note, ReviewStatus, Tag

STATUSES = {"new": "Ikke gjennomgått", "follow_up": "Følges opp", "reviewed": "Gjennomgått"}
MAX_NOTE = 4000
_TAG = re.compile(r"^[a-zæøå0-9][a-zæøå0-9 _-]{0,39}$")


class AnnotationError(ValueError):
    """A note or tag that cannot be saved; the message is Norwegian and safe to show."""


def add_note(sender_id: str, author: str, text: str, *, session: Session) -> Note:
    """Save a note, redacted like everything else that is stored; empty or very long notes are refused."""
    cleaned = text.strip()
    if not cleaned:
        raise AnnotationError("Notatet er tomt. Skriv noe før du lagrer.")
    if len(cleaned) > MAX_NOTE:
        raise AnnotationError(f"Notatet er for langt. Det kan ha høyst {MAX_NOTE} tegn.")
    from bot.privacy.redaction import redact_text

    note = Note(sender_id=sender_id, author=author, text=redact_text(cleaned), created_at=utcnow())
    session.add(note)
    return note


def notes_for(sender_id: str, *, session: Session) -> list[Note]:
    """The conversation's notes, oldest first."""
    return list(session.execute(select(Note).where(Note.sender_id == sender_id).order_by(Note.id)).scalars())


def normalize_tag(tag: str) -> str:
    """Tags are short, lower-case and without extra spaces."""
    cleaned = " ".join(tag.strip().lower().split())
    if not _TAG.match(cleaned):
        raise AnnotationError("Et merke kan ha 1–40 tegn: bokstaver, tall, mellomrom og bindestrek.")
    from bot.privacy.redaction import redact_text

    if redact_text(cleaned) != cleaned:
        raise AnnotationError("Et merke kan ikke ha navn, telefonnummer eller andre personopplysninger.")
    return cleaned


def add_tag(sender_id: str, tag: str, author: str, *, session: Session) -> str:
    """Put a tag on a conversation (nothing happens if it is there already); return the tag."""
    name = normalize_tag(tag)
    exists = session.execute(select(Tag.id).where(Tag.sender_id == sender_id, Tag.tag == name)).first()
    if exists is None:
        session.add(Tag(sender_id=sender_id, tag=name, created_by=author, created_at=utcnow()))
    return name


def remove_tag(sender_id: str, tag: str, *, session: Session) -> bool:
    """Take a tag off a conversation; False when it was not there."""
    result = session.execute(delete(Tag).where(Tag.sender_id == sender_id, Tag.tag == tag.strip().lower()))
    return bool(result.rowcount)


def tags_for(sender_id: str, *, session: Session) -> list[str]:
    """The conversation's tags, alphabetically."""
    return list(session.execute(select(Tag.tag).where(Tag.sender_id == sender_id).order_by(Tag.tag)).scalars())


def tags_by_sender(*, session: Session) -> dict[str, list[str]]:
    """Every tagged conversation and its tags."""
    found: dict[str, list[str]] = defaultdict(list)
    for sender_id, tag in session.execute(select(Tag.sender_id, Tag.tag).order_by(Tag.tag)):
        found[sender_id].append(tag)
    return dict(found)


def all_tags(*, session: Session) -> list[str]:
    """Every tag in use, for the filter's choices."""
    return list(session.execute(select(Tag.tag).distinct().order_by(Tag.tag)).scalars())


def senders_with_tag(tag: str, *, session: Session) -> frozenset[str]:
    """The conversations that carry a tag."""
    return frozenset(session.execute(select(Tag.sender_id).where(Tag.tag == tag.strip().lower())).scalars())


def set_status(sender_id: str, status: str, author: str, *, session: Session) -> None:
    """Set the review status; «new» removes the row."""
    if status not in STATUSES:
        raise AnnotationError("Ukjent status.")
    row: ReviewStatus | None = session.get(ReviewStatus, sender_id)
    if status == "new":
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(ReviewStatus(sender_id=sender_id, status=status, changed_by=author, changed_at=utcnow()))
    else:
        row.status, row.changed_by, row.changed_at = status, author, utcnow()


def status_row(sender_id: str, *, session: Session) -> ReviewStatus | None:
    """The stored status row, if any."""
    found: ReviewStatus | None = session.get(ReviewStatus, sender_id)
    return found


def statuses(*, session: Session) -> dict[str, str]:
    """Every conversation with a status other than «new»."""
    return dict(session.execute(select(ReviewStatus.sender_id, ReviewStatus.status)).all())


def senders_with_status(status: str, *, session: Session) -> frozenset[str]:
    """The conversations with a stored status (never used for «new», which has no row)."""
    return frozenset(session.execute(select(ReviewStatus.sender_id).where(ReviewStatus.status == status)).scalars())


def delete_for(sender_id: str, *, session: Session) -> int:
    """Remove every note, tag and status of a conversation (when it is deleted); return rows removed."""
    removed = 0
    for model in (Note, Tag, ReviewStatus):
        removed += int(session.execute(delete(model).where(model.sender_id == sender_id)).rowcount or 0)
    return removed


def when(value: datetime | None) -> datetime | None:
    """Stored times as aware UTC datetimes (SQLite drops the zone)."""
    from bot.clock import aware

    return aware(value)
