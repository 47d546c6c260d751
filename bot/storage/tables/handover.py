"""Handover to a counsellor: the queue entries and who is online."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text

from bot.clock import iso
from bot.storage.base import Base

NEW, TAKEN, DONE = "new", "taken", "done"
STATUSES = (NEW, TAKEN, DONE)


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
    language = Column(String(8))  # the conversation's language when the entry was made (nb, en, pl, …)
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
            "summary": self.summary, "created_at": iso(self.created_at), "taken_by": self.taken_by,
            "taken_at": iso(self.taken_at), "closed_at": iso(self.closed_at),
        }


class CounsellorPresence(Base):
    """A counsellor who said «jeg er pålogget» in the review app, until when."""

    __tablename__ = "counsellor_presence"

    username = Column(String(100), primary_key=True)
    online_until = Column(DateTime(timezone=True), nullable=False)
