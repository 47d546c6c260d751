"""Answers to «Var dette nyttig?»."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import Column, DateTime, Integer, String, Text

from bot.storage.base import Base


class Rating(Base):
    """One answer to «Var dette nyttig?» (1-5) and an optional comment.

    The number stays as a quality figure; the comment and the link to the conversation go when the
    conversation is deleted or expires (bot/privacy/retention.py), so the row is kept on delete.
    """

    __tablename__ = "quality_ratings"
    __table_args__: ClassVar[dict[str, Any]] = {"info": {"keep_on_delete": True}}

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    rating = Column(Integer, nullable=False)
    comment = Column(Text)
    knapper = Column(String(200), nullable=False, default="")
    sender_id = Column(String(255), index=True)
