"""Stored conversations read back from Rasa's `events` table: lists, whole transcripts, exports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    case,
    cast,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql import ColumnElement

from bot import knapper
from bot.rasa_events import events
from bot.settings import Settings

try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: Any = ZoneInfo("Europe/Oslo")
except Exception:  # pragma: no cover - a machine without time zone data shows UTC
    LOCAL_TZ = timezone.utc

LOW_CONFIDENCE = 0.6
FALLBACK_ACTIONS = ("action_default_fallback", "utter_fallback_first", "utter_fallback_second")
FALLBACK_INTENT = "nlu_fallback"
HANDOVER_INTENT = "request_human"
CRISIS_INTENT = "express_crisis"
KNAPP_DONE_ACTION = "action_knapp_done"
SUMMARY_SLOTS = ("current_knapp", "rating", "urgent")
FORM_NOTES = {
    "knapp_form": ("Spørsmålene i knappen starter", "Spørsmålene i knappen er ferdige"),
    "interest_form": ("Interessetesten starter", "Interessetesten er ferdig"),
    "rating_form": ("Spørsmålet «Var dette nyttig?» starter", "Spørsmålet «Var dette nyttig?» er ferdig"),
}
ACTION_NOTES = {
    "action_stop_knapp": "Knappen stoppet: brukeren ville snakke om noe annet",
    "action_show_plan": "Brukeren så «min plan»",
    "action_interest_result": "Resultatet av interessetesten ble vist",
}
SPEAKERS = {"user": "bruker", "bot": "chatbot", "counsellor": "veileder", "system": "system"}

Kind = Literal["user", "bot", "counsellor", "system"]


@dataclass(frozen=True)
class Turn:
    """One line of a transcript: a message, or a short system line about what happened."""

    kind: Kind
    text: str
    timestamp: datetime
    intent: str | None = None
    confidence: float | None = None
    buttons: tuple[str, ...] = ()
    note: str | None = None
    author: str | None = None
    fallback: bool = False
    chosen_button: bool = False

    @property
    def low_confidence(self) -> bool:
        """A user message the model was unsure about."""
        return self.kind == "user" and self.confidence is not None and self.confidence < LOW_CONFIDENCE


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


@dataclass(frozen=True)
class Transcript:
    """A whole stored conversation: its summary, every turn and «min plan»."""

    summary: ConversationSummary
    turns: list[Turn]
    plan_lines: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)


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


def session_factory(settings: Settings) -> sessionmaker:
    """Sessions that read `events` from the tracker store and everything else from Veivalg's database."""
    from bot.db import Base, engine_for

    return sessionmaker(
        binds={events: engine_for(settings.tracker_store_url), Base: engine_for(settings.database_url)},
        future=True,
        expire_on_commit=False,
    )


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


def _loads(raw: str | None) -> dict[str, Any]:
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


def _fallback_user_ids(session: Session, sender_ids: Iterable[str] | None = None) -> dict[str, set[int]]:
    """Per conversation, the ids of user messages that led to a fallback (or were one)."""
    earlier = events.alias("earlier")
    previous_user = (
        select(func.max(earlier.c.id))
        .where(earlier.c.sender_id == events.c.sender_id, earlier.c.type_name == "user", earlier.c.id < events.c.id)
        .scalar_subquery()
    )
    by_action = select(events.c.sender_id, previous_user).where(
        events.c.type_name == "action", events.c.action_name.in_(FALLBACK_ACTIONS)
    )
    by_intent = select(events.c.sender_id, events.c.id).where(
        events.c.type_name == "user", events.c.intent_name == FALLBACK_INTENT
    )
    if sender_ids is not None:
        wanted = list(sender_ids)
        by_action = by_action.where(events.c.sender_id.in_(wanted))
        by_intent = by_intent.where(events.c.sender_id.in_(wanted))
    found: dict[str, set[int]] = defaultdict(set)
    for statement in (by_action, by_intent):
        for sender_id, user_id in session.execute(statement):
            if user_id is not None:
                found[sender_id].add(int(user_id))
    return found


def _slot_facts(session: Session, sender_ids: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Knapper covered, the latest rating and the urgent flag, from the few slot events that carry them."""
    facts: dict[str, dict[str, Any]] = defaultdict(lambda: {"knapper": [], "rating": None, "urgent": False})
    statement = (
        select(events.c.sender_id, events.c.action_name, events.c.data)
        .where(events.c.type_name == "slot", events.c.action_name.in_(SUMMARY_SLOTS))
        .order_by(events.c.id)
    )
    if sender_ids is not None:
        statement = statement.where(events.c.sender_id.in_(sender_ids))
    for sender_id, name, raw in session.execute(statement):
        value = _loads(raw).get("value")
        entry = facts[sender_id]
        if name == "current_knapp" and isinstance(value, str) and value and value not in entry["knapper"]:
            entry["knapper"].append(value)
        elif name == "rating" and value is not None:
            entry["rating"] = _rating(value) or entry["rating"]
        elif name == "urgent" and value is True:
            entry["urgent"] = True
    return facts


def _rating(value: Any) -> int | None:
    from bot.quality import parse_rating

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
    return {sender_id for sender_id, raw in rows if needle in str(_loads(raw).get("text") or "").casefold()}


def _like_escape(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _summaries(session: Session, sender_ids: Iterable[str] | None = None) -> list[ConversationSummary]:
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
    fallbacks = _fallback_user_ids(session, wanted)
    summaries = []
    for sender_id, first, last, turns, users, low, handover, crisis, channel_name in rows:
        fact = facts.get(sender_id) or {"knapper": [], "rating": None, "urgent": False}
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
        s for s in _summaries(session, narrowed) if (wanted is None or s.sender_id in wanted) and _matches(s, filters)
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


def _buttons(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = (data.get("data") or {}).get("buttons") or []
    return [b for b in found if isinstance(b, dict)]


class _Replay:
    """Walks the events of one conversation in order and turns them into transcript lines."""

    def __init__(self, fallback_ids: set[int]) -> None:
        self.turns: list[Turn] = []
        self.slots: dict[str, Any] = {}
        self.fallback_ids = fallback_ids
        self.last_buttons: list[dict[str, Any]] = []
        self.known_payloads: dict[str, str] = {}
        self.current_knapp: str | None = None
        self.started_knapper: set[str] = set()
        self.active_form: str | None = None
        self.sessions = 0
        self.awaiting_knapp = False

    def system(self, note: str, when: datetime) -> None:
        self.turns.append(Turn(kind="system", text="", timestamp=when, note=note))

    def apply(self, row_id: int, type_name: str, data: dict[str, Any], when: datetime) -> None:
        handler = getattr(self, f"_on_{type_name}", None)
        if handler is not None:
            handler(row_id, data, when)

    def _on_user(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        intent = (data.get("parse_data") or {}).get("intent") or {}
        text = str(data.get("text") or "")
        chosen = next((b for b in self.last_buttons if text and b.get("payload") == text), None)
        if chosen is None and text.startswith("/") and text in self.known_payloads:
            chosen = {"title": self.known_payloads[text]}
        confidence = intent.get("confidence")
        self.turns.append(
            Turn(
                kind="user",
                text=str(chosen.get("title")) if chosen else text,
                timestamp=when,
                intent=intent.get("name"),
                confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
                fallback=row_id in self.fallback_ids,
                chosen_button=chosen is not None,
            )
        )
        if intent.get("name") == HANDOVER_INTENT:
            self.system("Brukeren ba om å snakke med en veileder", when)
        elif intent.get("name") == CRISIS_INTENT:
            self.system("Mulig krise: brukeren fikk kriseinformasjon", when)

    def _on_bot(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        meta = data.get("metadata") or {}
        buttons = _buttons(data)
        self.last_buttons = buttons
        for button in buttons:
            if isinstance(button.get("payload"), str) and button.get("title"):
                self.known_payloads[button["payload"]] = str(button["title"])
        is_person = meta.get("author") == "counsellor"
        self.turns.append(
            Turn(
                kind="counsellor" if is_person else "bot",
                text=str(data.get("text") or ""),
                timestamp=when,
                buttons=tuple(str(b.get("title") or "") for b in buttons),
                author=str(meta.get("author_role") or "Veileder") if is_person else None,
            )
        )

    def _on_action(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        name = str(data.get("name") or "")
        if name == "action_start_knapp":
            self.awaiting_knapp = True
        elif name == KNAPP_DONE_ACTION and self.current_knapp:
            self.system(f"Knapp: {knapp_title(self.current_knapp)} fullført", when)
        elif "handoff" in name or "handover" in name:
            self.system("Samtalen ble sendt videre til en veileder", when)
        elif name in ACTION_NOTES:
            self.system(ACTION_NOTES[name], when)

    def _on_slot(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        name, value = str(data.get("name") or ""), data.get("value")
        self.slots[name] = value
        if name == "current_knapp" and isinstance(value, str) and value:
            if self.awaiting_knapp or value != self.current_knapp:
                again = value in self.started_knapper
                self.system(f"Knapp: {knapp_title(value)} {'tatt opp igjen' if again else 'startet'}", when)
            self.current_knapp = value
            self.started_knapper.add(value)
            self.awaiting_knapp = False
        elif name == "urgent" and value is True:
            self.system("Merket som haster", when)
        elif name == "rating" and value is not None and _rating(value):
            self.system(f"Vurdering: {_rating(value)} av 5", when)
        elif name == "consent_to_store" and value is True:
            self.system("Brukeren sa ja til at samtalen lagres", when)

    def _on_active_loop(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        name = data.get("name")
        if name:
            self.active_form = str(name)
            self.system(FORM_NOTES.get(self.active_form, (f"Skjema {name} starter", ""))[0], when)
        elif self.active_form:
            self.system(FORM_NOTES.get(self.active_form, ("", "Skjema ferdig"))[1], when)
            self.active_form = None

    def _on_pause(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.system("Samtalen satt på pause (veileder tok over)", when)

    def _on_resume(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.system("Chatboten svarer igjen", when)

    def _reset(self) -> None:
        self.slots = {}
        self.current_knapp = None
        self.active_form = None

    def _on_session_started(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.sessions += 1
        self._reset()
        if self.sessions > 1:
            self.system("Ny økt startet", when)

    def _on_restart(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self._reset()
        self.system("Samtalen startet på nytt", when)

    def _on_reset_slots(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.slots = {}


def load_transcript(sender_id: str, *, session: Session, with_plan: bool = True) -> Transcript | None:
    """The whole stored conversation, or None when nothing is stored under this id.

    With `with_plan`, «min plan» is built from the slots as Rasa would see them now; the session must
    then also reach Veivalg's database (see `session_factory`).
    """
    if not store_ready(session=session):
        return None
    rows = session.execute(
        select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == sender_id)
        .order_by(events.c.id)
    ).all()
    if not rows:
        return None
    summaries = _summaries(session, [sender_id])
    replay = _Replay(_fallback_user_ids(session, [sender_id]).get(sender_id, set()))
    for row_id, type_name, timestamp, raw in rows:
        replay.apply(row_id, type_name, _loads(raw), as_utc(timestamp))
    plan_lines: list[str] = []
    if with_plan:
        from bot.plan import plan_messages

        plan_lines = [line for message in plan_messages(replay.slots, session=session) for line in message.split("\n")]
    return Transcript(summary=summaries[0], turns=replay.turns, plan_lines=plan_lines, slots=replay.slots)


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat()


def summary_as_json(summary: ConversationSummary) -> dict[str, Any]:
    """A conversation summary as plain JSON values."""
    return {
        "sender_id": summary.sender_id,
        "started_at": _iso(summary.started_at),
        "last_at": _iso(summary.last_at),
        "channel": summary.channel,
        "turns": summary.turns,
        "user_messages": summary.user_messages,
        "knapper": list(summary.knapper),
        "handover_requested": summary.handover_requested,
        "urgent": summary.urgent,
        "fallbacks": summary.fallbacks,
        "low_confidence": summary.low_confidence,
        "rating": summary.rating,
    }


def turn_as_json(turn: Turn) -> dict[str, Any]:
    """One transcript line as plain JSON values."""
    return {
        "kind": turn.kind,
        "text": turn.text,
        "timestamp": _iso(turn.timestamp),
        "intent": turn.intent,
        "confidence": turn.confidence,
        "low_confidence": turn.low_confidence,
        "fallback": turn.fallback,
        "buttons": list(turn.buttons),
        "note": turn.note,
        "author": turn.author,
    }


def transcript_as_json(t: Transcript) -> dict[str, Any]:
    """The transcript as a JSON-ready dict: summary, turns and «min plan»."""
    return {"summary": summary_as_json(t.summary), "turns": [turn_as_json(x) for x in t.turns], "plan": t.plan_lines}


CSV_HEADER = ("tidspunkt", "hvem", "tekst", "intensjon", "sikkerhet", "knapper", "merknad")


def _cell(value: str) -> str:
    """Text a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def transcript_as_csv(t: Transcript) -> str:
    """The transcript as CSV (comma-separated, one line per turn, header in Norwegian)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for turn in t.turns:
        writer.writerow(
            [
                _iso(turn.timestamp),
                SPEAKERS[turn.kind],
                _cell(turn.text),
                turn.intent or "",
                "" if turn.confidence is None else f"{turn.confidence:.2f}",
                _cell(" | ".join(turn.buttons)),
                _cell(turn.note or turn.author or ""),
            ]
        )
    return out.getvalue()


def fallback_messages(*, session: Session, sender_ids: Iterable[str] | None = None) -> list[str]:
    """The text of every user message that led to a fallback (already redacted when stored)."""
    if not store_ready(session=session):
        return []
    found = _fallback_user_ids(session, sender_ids)
    ids = sorted({i for per_conversation in found.values() for i in per_conversation})
    texts: list[str] = []
    for chunk in _chunks(ids, 500):
        for (raw,) in session.execute(select(events.c.data).where(events.c.id.in_(chunk))):
            texts.append(str(_loads(raw).get("text") or ""))
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
        value = _loads(raw).get("value")
        if isinstance(value, str) and value:
            finished.add((str(sender_id), value))
    started = {(str(s), str(k)) for s, fact in _slot_facts(session).items() for k in fact["knapper"]}
    return sorted((s, k, (s, k) in finished) for s, k in started | finished)


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def transcript_as_text(t: Transcript) -> str:
    """The transcript as plain text for a terminal, times in Norwegian time."""
    s = t.summary
    lines = [
        f"Samtale {s.sender_id}: startet {s.started_at.astimezone(LOCAL_TZ):%d.%m.%Y %H.%M}, "
        f"sist aktiv {s.last_at.astimezone(LOCAL_TZ):%d.%m.%Y %H.%M}, kanal {s.channel or '–'}, "
        f"{s.user_messages} meldinger fra brukeren",
        "",
    ]
    for turn in t.turns:
        clock = f"{turn.timestamp.astimezone(LOCAL_TZ):%H.%M}"
        if turn.kind == "system":
            lines.append(f"{clock}   -- {turn.note}")
            continue
        who = {"user": "Bruker", "bot": "Veivalg"}.get(turn.kind) or f"{turn.author} (person)"
        extra = ""
        if turn.kind == "user" and turn.intent:
            confidence = "" if turn.confidence is None else f" {turn.confidence:.2f}"
            flags = (" USIKKER" if turn.low_confidence else "") + (" FORSTO IKKE" if turn.fallback else "")
            extra = f"   [{turn.intent}{confidence}{flags}]"
        text = turn.text.replace("\n", "\n" + " " * 9)
        lines.append(f"{clock}   {who}: {text}{extra}")
        if turn.buttons:
            lines.append(" " * 9 + "Knapper: " + " | ".join(turn.buttons))
    if t.plan_lines:
        lines += ["", "Min plan:", *("  " + line for line in t.plan_lines)]
    return "\n".join(lines)
