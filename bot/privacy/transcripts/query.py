"""Stored conversations found and summed up from Rasa's `events` table: lists, filters, figures."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from bot.clock import LOCAL_TZ
from bot.guidance import knapper
from bot.safety.assessment import CRISIS_INTENT, most_serious
from bot.storage.rasa_events import events

LOW_CONFIDENCE = 0.6


FALLBACK_ACTIONS = ("action_default_fallback", "utter_fallback_first", "utter_fallback_second")



HANDOVER_INTENT = "request_human"
KNAPP_DONE_ACTION = "action_knapp_done"
SUMMARY_SLOTS = ("current_knapp", "rating", "urgent", "safety_level", "language")


@dataclass(frozen=True)
class ConversationSummary:
    """What the conversation list shows about one stored conversation."""

    sender_id: str
    started_at: datetime
    last_at: datetime
    channel: str | None
    turns: int
    user_messages: int
    knapper: tuple[str, ...]
    handover_requested: bool
    urgent: bool
    fallbacks: int
    low_confidence: int
    rating: int | None
    safety_level: str | None = None  # the most serious safety level reached: crisis, threat or possible
    languages: tuple[str, ...] = ()  # languages other than Norwegian the conversation was in, in order


@dataclass(frozen=True)
class ConversationFilters:
    """Filters for the conversation list; None means «no matter»."""

    date_from: date | None = None
    date_to: date | None = None
    channel: str | None = None
    knapp: str | None = None
    handover: bool | None = None
    urgent: bool | None = None
    has_fallbacks: bool | None = None
    has_low_confidence: bool | None = None
    rating: int | None = None
    search: str | None = None
    include_ids: frozenset[str] | None = None
    exclude_ids: frozenset[str] = frozenset()


def knapp_title(key: str) -> str:
    """The display name of a knapp (or the transition talk); the key itself when unknown."""
    found = knapper.texts()["knapper"].get(key) or {}
    return str(found.get("title") or key)


def knapp_keys() -> list[str]:
    """Every knapp key, in the order of the texts file."""
    return list(knapper.texts()["knapper"])


def as_utc(timestamp: float | None) -> datetime:
    """Rasa's unix seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(timestamp or 0.0, timezone.utc)


def local_day_bounds(day: date) -> tuple[float, float]:
    """Unix seconds at the start and end of a day in Norwegian time."""
    start = datetime.combine(day, time.min, tzinfo=LOCAL_TZ)
    return start.timestamp(), (start + timedelta(days=1)).timestamp()


def _data_as_json(session: Session) -> Any:
    """`events.data` as JSON: SQLite reads the text as it is, PostgreSQL needs a cast."""
    dialect = session.get_bind(clause=select(events.c.id)).dialect.name
    return cast(events.c.data, JSON) if dialect == "postgresql" else type_coerce(events.c.data, JSON)


def store_ready(*, session: Session) -> bool:
    """True once Rasa's tracker store has created its `events` table (a fresh install has none)."""
    from sqlalchemy import inspect

    return bool(inspect(session.get_bind(clause=select(events.c.id))).has_table("events"))


def loads(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _flag(condition: ColumnElement[Any]) -> Any:
    return func.max(case((condition, 1), else_=0))


def _count(condition: ColumnElement[Any]) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _handover_condition() -> ColumnElement[Any]:
    return or_(
        (events.c.type_name == "user") & (events.c.intent_name == HANDOVER_INTENT),
        (events.c.type_name == "action")
        & (events.c.action_name.like("%handoff%") | events.c.action_name.like("%handover%")),
    )


def fallback_user_ids(session: Session, sender_ids: Iterable[str] | None = None) -> dict[str, set[int]]:
    """Per conversation, the ids of user messages the bot answered with its fallback.

    A free-text answer inside a form is read as `nlu_fallback` by the model, yet the form took it as the
    answer: only the fallback's answer, not the intent, counts as «forsto ikke».
    """
    earlier = events.alias("earlier")
    previous_user = (
        select(func.max(earlier.c.id))
        .where(earlier.c.sender_id == events.c.sender_id, earlier.c.type_name == "user", earlier.c.id < events.c.id)
        .scalar_subquery()
    )
    by_action = select(events.c.sender_id, previous_user).where(
        events.c.type_name == "action", events.c.action_name.in_(FALLBACK_ACTIONS)
    )
    if sender_ids is not None:
        wanted = list(sender_ids)
        by_action = by_action.where(events.c.sender_id.in_(wanted))
    found: dict[str, set[int]] = defaultdict(set)
    for sender_id, user_id in session.execute(by_action):
        if user_id is not None:
            found[sender_id].add(int(user_id))
    return found


def _slot_facts(session: Session, sender_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Knapper covered, the latest rating, the urgent flag and the safety level, from the slots that carry them."""
    facts: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"knapper": [], "rating": None, "urgent": False, "safety_level": None, "languages": []}
    )
    statement = (
        select(events.c.sender_id, events.c.action_name, events.c.data)
        .where(events.c.type_name == "slot", events.c.action_name.in_(SUMMARY_SLOTS))
        .order_by(events.c.id)
    )
    if sender_ids is not None:
        statement = statement.where(events.c.sender_id.in_(sender_ids))
    for sender_id, name, raw in session.execute(statement):
        value = loads(raw).get("value")
        entry = facts[sender_id]
        if name == "current_knapp" and isinstance(value, str) and value and value not in entry["knapper"]:
            entry["knapper"].append(value)
        elif name == "rating" and value is not None:
            entry["rating"] = rating_value(value) or entry["rating"]
        elif name == "urgent" and value is True:
            entry["urgent"] = True
        elif name == "safety_level" and isinstance(value, str):
            entry["safety_level"] = most_serious(entry["safety_level"], value)
        elif name == "language" and isinstance(value, str) and value != "nb" and value not in entry["languages"]:
            entry["languages"].append(value)
    return facts


def rating_value(value: Any) -> int | None:
    from bot.guidance.rating import parse_rating

    return parse_rating(str(value))


def _search_ids(session: Session, query: str) -> set[str]:
    """Conversations with a message containing `query` (case does not matter)."""
    needle = query.strip().casefold()
    if not needle:
        return set()
    runs = re.findall(r"[a-z0-9]{2,}", needle)
    lowered = func.lower(events.c.data)
    if runs:
        conditions = [lowered.like(f"%{_like_escape(run)}%", escape="!") for run in runs]
        prefilter: ColumnElement[Any] = conditions[0]
        for condition in conditions[1:]:
            prefilter = prefilter & condition
    else:
        variants = {needle, needle.upper(), json.dumps(needle)[1:-1], json.dumps(needle.upper())[1:-1].lower()}
        prefilter = or_(*(lowered.like(f"%{_like_escape(v)}%", escape="!") for v in variants))
    rows = session.execute(
        select(events.c.sender_id, events.c.data).where(events.c.type_name.in_(("user", "bot")), prefilter)
    )
    return {sender_id for sender_id, raw in rows if needle in str(loads(raw).get("text") or "").casefold()}


def _like_escape(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def summarise(session: Session, sender_ids: Iterable[str] | None = None) -> list[ConversationSummary]:
    data = _data_as_json(session)
    is_user = events.c.type_name == "user"
    confidence = data[("parse_data", "intent", "confidence")].as_float()
    channel = func.coalesce(data[("metadata", "channel")].as_string(), data["input_channel"].as_string())
    statement = select(
        events.c.sender_id,
        func.min(events.c.timestamp),
        func.max(events.c.timestamp),
        _count(events.c.type_name.in_(("user", "bot"))),
        _count(is_user),
        func.sum(case((is_user, case((confidence < LOW_CONFIDENCE, 1), else_=0)), else_=0)),
        _flag(_handover_condition()),
        _flag(is_user & (events.c.intent_name == CRISIS_INTENT)),
        func.min(case((is_user, channel))),
    ).group_by(events.c.sender_id)
    wanted = None if sender_ids is None else list(sender_ids)
    if wanted is not None:
        statement = statement.where(events.c.sender_id.in_(wanted))
    rows = session.execute(statement).all()
    facts = _slot_facts(session, wanted)
    fallbacks = fallback_user_ids(session, wanted)
    summaries = []
    for sender_id, first, last, turns, users, low, handover, crisis, channel_name in rows:
        fact = facts.get(sender_id) or {"knapper": [], "rating": None, "urgent": False, "safety_level": None,
                                        "languages": []}
        summaries.append(
            ConversationSummary(
                sender_id=sender_id,
                started_at=as_utc(first),
                last_at=as_utc(last),
                channel=channel_name,
                turns=int(turns or 0),
                user_messages=int(users or 0),
                knapper=tuple(fact["knapper"]),
                handover_requested=bool(handover),
                urgent=bool(crisis) or bool(fact["urgent"]),
                fallbacks=len(fallbacks.get(sender_id, ())),
                low_confidence=int(low or 0),
                rating=fact["rating"],
                safety_level=fact["safety_level"],
                languages=tuple(fact["languages"]),
            )
        )
    return summaries


def _matches(summary: ConversationSummary, filters: ConversationFilters) -> bool:
    checks = (
        filters.date_from is None or summary.last_at.timestamp() >= local_day_bounds(filters.date_from)[0],
        filters.date_to is None or summary.started_at.timestamp() < local_day_bounds(filters.date_to)[1],
        not filters.channel or summary.channel == filters.channel,
        not filters.knapp or filters.knapp in summary.knapper,
        filters.handover is None or summary.handover_requested == filters.handover,
        filters.urgent is None or summary.urgent == filters.urgent,
        filters.has_fallbacks is None or (summary.fallbacks > 0) == filters.has_fallbacks,
        filters.has_low_confidence is None or (summary.low_confidence > 0) == filters.has_low_confidence,
        filters.rating is None or summary.rating == filters.rating,
        filters.include_ids is None or summary.sender_id in filters.include_ids,
        summary.sender_id not in filters.exclude_ids,
    )
    return all(checks)


def list_conversations(
    *, session: Session, filters: ConversationFilters | None = None
) -> list[ConversationSummary]:
    """Every stored conversation that passes the filters, the most recently active first."""
    filters = filters or ConversationFilters()
    if not store_ready(session=session):
        return []
    wanted: set[str] | None = None
    if filters.include_ids is not None:
        wanted = set(filters.include_ids)
    if filters.search and filters.search.strip():
        found = _search_ids(session, filters.search)
        wanted = found if wanted is None else wanted & found
    if wanted is not None and not wanted:
        return []
    # A short list of ids narrows the SQL; a long one is checked here, to stay within bind-parameter limits.
    narrowed = wanted if wanted is not None and len(wanted) <= 500 else None
    summaries = [
        s for s in summarise(session, narrowed) if (wanted is None or s.sender_id in wanted) and _matches(s, filters)
    ]
    return sorted(summaries, key=lambda s: (s.last_at, s.sender_id), reverse=True)


def channels(*, session: Session) -> list[str]:
    """The channels stored conversations came from, for the filter's choices."""
    if not store_ready(session=session):
        return []
    data = _data_as_json(session)
    channel = func.coalesce(data[("metadata", "channel")].as_string(), data["input_channel"].as_string())
    rows = session.execute(select(channel).where(events.c.type_name == "user").distinct())
    return sorted({str(name) for (name,) in rows if name})


def conversation_exists(sender_id: str, *, session: Session) -> bool:
    """True when at least one event of the conversation is stored."""
    if not store_ready(session=session):
        return False
    found = session.execute(select(events.c.id).where(events.c.sender_id == sender_id).limit(1)).first()
    return found is not None


def fallback_messages(*, session: Session, sender_ids: Iterable[str] | None = None) -> list[str]:
    """The text of every user message that led to a fallback (already redacted when stored)."""
    if not store_ready(session=session):
        return []
    found = fallback_user_ids(session, sender_ids)
    ids = sorted({i for per_conversation in found.values() for i in per_conversation})
    texts: list[str] = []
    for chunk in _chunks(ids, 500):
        for (raw,) in session.execute(select(events.c.data).where(events.c.id.in_(chunk))):
            texts.append(str(loads(raw).get("text") or ""))
    return [t for t in texts if t.strip()]


def knapp_progress(*, session: Session) -> list[tuple[str, str, bool]]:
    """(sender_id, knapp, finished) for every knapp a conversation started."""
    if not store_ready(session=session):
        return []
    earlier = events.alias("earlier")
    knapp_then = (
        select(earlier.c.data)
        .where(
            earlier.c.sender_id == events.c.sender_id,
            earlier.c.type_name == "slot",
            earlier.c.action_name == "current_knapp",
            earlier.c.id < events.c.id,
        )
        .order_by(earlier.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    finished: set[tuple[str, str]] = set()
    done = select(events.c.sender_id, knapp_then).where(
        events.c.type_name == "action", events.c.action_name == KNAPP_DONE_ACTION
    )
    for sender_id, raw in session.execute(done):
        value = loads(raw).get("value")
        if isinstance(value, str) and value:
            finished.add((str(sender_id), value))
    started = {(str(s), str(k)) for s, fact in _slot_facts(session).items() for k in fact["knapper"]}
    return sorted((s, k, (s, k) in finished) for s, k in started | finished)


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def unknown_occupations(*, session: Session, sender_ids: Iterable[str] | None = None) -> dict[str, int]:
    """How often each occupation word the catalogue did not know was asked about (the word only, folded)."""
    if not store_ready(session=session):
        return {}
    statement = select(events.c.sender_id, events.c.data).where(
        events.c.type_name == "slot", events.c.action_name == "unknown_occupation"
    )
    wanted = None if sender_ids is None else set(sender_ids)
    counts: dict[str, int] = defaultdict(int)
    for sender_id, raw in session.execute(statement):
        value = loads(raw).get("value")
        if isinstance(value, str) and value.strip() and (wanted is None or sender_id in wanted):
            counts[value.strip().casefold()] += 1
    return dict(counts)
