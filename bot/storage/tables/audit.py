"""The audit log of the review app."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Integer, String

from bot.storage.base import Base


class AuditEntry(Base):
    """One thing a person did in the review app (or a login attempt)."""

    __tablename__ = "review_audit_log"
    # Kept when a conversation is deleted (bot.privacy.retention): it holds the id, never the text.
    __table_args__: ClassVar[dict[str, Any]] = {"info": {"keep_on_delete": True}}

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, index=True)
    username = Column(String(64), nullable=False, index=True)
    role = Column(String(20))
    action = Column(String(40), nullable=False, index=True)
    sender_id = Column(String(255), index=True)
    detail = Column(String(500))
