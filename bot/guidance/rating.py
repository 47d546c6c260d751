"""Quality figures a leader may read: ratings of usefulness, with no one's words unless they agreed."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.tables.ratings import Rating

NO_COMMENT = "-"  # the rating form's comment slot when the user wrote none


def parse_rating(text: str | None) -> int | None:
    """1-5 from a button or typed words; None when it is not a rating."""
    words = {"en": 1, "ein": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "one": 1, "two": 2, "three": 3,
             "four": 4, "five": 5}
    cleaned = (text or "").strip().lower().rstrip(".!")
    first = cleaned.split()[0] if cleaned.split() else ""
    if first.isdigit() and 1 <= int(first) <= 5:
        return int(first)
    return words.get(first)


def record_rating(
    rating: int, comment: str | None, consented: bool, knapper: list[str], *, session: Session,
    sender_id: str | None = None,
) -> Rating:
    """Store a rating; the comment (redacted by the caller) only with consent to storing, and its conversation."""
    kept = (comment or None) if consented else None
    row = Rating(
        created_at=datetime.now(timezone.utc), rating=rating, comment=kept, knapper=",".join(sorted(knapper)),
        sender_id=sender_id if kept else None,
    )
    session.add(row)
    return row


def average_rating(*, session: Session) -> float | None:
    """The mean rating, for the quality dashboard."""
    value = session.execute(select(func.avg(Rating.rating))).scalar_one()
    return None if value is None else float(value)
