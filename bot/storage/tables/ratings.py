"""Answers to «Var dette nyttig?»."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from bot.storage.base import Base


class Rating(Base):
    """One answer to «Var dette nyttig?» (1-5) and an optional comment."""

    __tablename__ = "quality_ratings"

    id = Column(Integer, primary_key=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    rating = Column(Integer, nullable=False)
    comment = Column(Text)
    knapper = Column(String(200), nullable=False, default="")
