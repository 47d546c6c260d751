"""Review-app users, their failed logins and their sessions."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String

from bot.storage.base import Base


class User(Base):
    """A person who may log in to the review app."""

    __tablename__ = "review_users"

    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    role = Column(String(20), nullable=False)
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    last_login_at = Column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed logins per username (also for names that do not exist) and when a lock ends."""

    __tablename__ = "review_login_throttle"

    username = Column(String(64), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    locked_until = Column(DateTime(timezone=True))
    wait_until = Column(DateTime(timezone=True))  # a growing pause after each failure, before the lock


class ReviewSession(Base):
    """A login to the review app, kept on the server so that logging out ends it everywhere at once."""

    __tablename__ = "review_sessions"

    id = Column(String(64), primary_key=True)  # SHA-256 of the token in the signed cookie, never the token
    user_id = Column(Integer, nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False)
    last_seen_at = Column(DateTime(timezone=True), nullable=False)
    ended_at = Column(DateTime(timezone=True))
