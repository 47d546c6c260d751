"""Time as Veivalg stores and shows it: aware UTC in the databases, Norwegian time on screen."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, overload

try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: Any = ZoneInfo("Europe/Oslo")
except Exception:  # pragma: no cover - a machine without time zone data shows UTC
    LOCAL_TZ = timezone.utc


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(timezone.utc)


@overload
def aware(value: datetime) -> datetime: ...


@overload
def aware(value: None) -> None: ...


def aware(value: datetime | None) -> datetime | None:
    """SQLite gives back naive datetimes; they were stored as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=timezone.utc)


def iso(value: datetime | None) -> str | None:
    """An aware ISO 8601 string, or None."""
    moment = aware(value)
    return None if moment is None else moment.isoformat()
