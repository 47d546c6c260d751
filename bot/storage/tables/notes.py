"""What counsellors add to a conversation: notes, tags and a review status."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text, UniqueConstraint

from bot.storage.base import Base


class Note(Base):
    """A counsellor's note on a conversation."""

    __tablename__ = "review_notes"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    author = Column(String(64), nullable=False)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


class Tag(Base):
    """A short label on a conversation, such as «oppfølging» or «fagbrev»."""

    __tablename__ = "review_tags"
    __table_args__ = (UniqueConstraint("sender_id", "tag"),)

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, index=True)
    tag = Column(String(40), nullable=False, index=True)
    created_by = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False)


class ReviewStatus(Base):
    """Whether a counsellor has gone through a conversation; no row means «Ikke gjennomgått»."""

    __tablename__ = "review_status"

    sender_id = Column(String(255), primary_key=True)
    status = Column(String(20), nullable=False)
    changed_by = Column(String(64), nullable=False)
    changed_at = Column(DateTime(timezone=True), nullable=False)
