"""Quality figures for leaders: counts per week, knapper finished, handovers, fallbacks, ratings."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import LOCAL_TZ, aware
from bot.guidance.rating import Rating
from bot.languages.names import needs_interpreter
from bot.privacy import transcripts
from bot.privacy.transcripts import ConversationFilters
from bot.privacy.transcripts.query import local_day_bounds
from bot.safety.assessment import LEVELS as SAFETY_LEVELS

TOP_UNANSWERED = 15


@dataclass(frozen=True)
class WeekRow:
    """One ISO week of conversations, by the week each conversation started."""

    year: int
    week: int
    conversations: int
    handovers: int
    urgent: int
    user_messages: int
    fallback_messages: int

    @property
    def label(self) -> str:
        """«Uke 47, 2025»."""
        return f"Uke {self.week}, {self.year}"

    @property
    def fallback_rate(self) -> float | None:
        """Share of user messages that led to «forsto ikke»."""
        return self.fallback_messages / self.user_messages if self.user_messages else None


@dataclass(frozen=True)
class RatingWeek:
    """Answers to «Var dette nyttig?» in one week."""

    year: int
    week: int
    count: int
    average: float | None

    @property
    def label(self) -> str:
        """«Uke 47, 2025»."""
        return f"Uke {self.week}, {self.year}"


@dataclass(frozen=True)
class KnappRow:
    """How many conversations started and finished one knapp."""

    key: str
    title: str
    started: int
    finished: int


@dataclass(frozen=True)
class Dashboard:
    """Every figure on the quality page. `unanswered` holds message text and is empty unless asked for."""

    conversations: int
    handovers: int
    urgent: int
    user_messages: int
    fallback_messages: int
    ratings: int
    rating_average: float | None
    weeks: list[WeekRow]
    rating_weeks: list[RatingWeek]
    knapper: list[KnappRow]
    unanswered: list[tuple[str, int]]
    unknown_occupations: list[tuple[str, int]] = field(default_factory=list)  # the word only, for leaders
    safety: dict[str, int] = field(default_factory=dict)  # conversations by the most serious safety level, no text
    # Conversations by language (one conversation can count under several), no text; and how many came in a
    # language Veivalg does not speak (the unmet need).
    languages: dict[str, int] = field(default_factory=dict)
    unmet_language_need: int = 0

    @property
    def fallback_rate(self) -> float | None:
        """Share of all user messages that led to «forsto ikke»."""
        return self.fallback_messages / self.user_messages if self.user_messages else None


def _week_of(moment: datetime) -> tuple[int, int]:
    iso = moment.astimezone(LOCAL_TZ).isocalendar()
    return iso[0], iso[1]


def _week_range(keys: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every week from the first to the last, so weeks without conversations show as 0."""
    if not keys:
        return []
    start = date.fromisocalendar(*min(keys), 1)
    end = date.fromisocalendar(*max(keys), 1)
    weeks = []
    while start <= end:
        iso = start.isocalendar()
        weeks.append((iso[0], iso[1]))
        start += timedelta(days=7)
    return weeks


def _normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold()).rstrip("?!. ")


def top_unanswered(texts: Sequence[str], limit: int = TOP_UNANSWERED) -> list[tuple[str, int]]:
    """The most frequent messages the bot did not understand, grouped regardless of case and punctuation."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in texts:
        key = _normalized(text)
        if key:
            counts[key] += 1
            shown.setdefault(key, text.strip())
    return [(shown[key], n) for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def build(
    *, session: Session, date_from: date | None = None, date_to: date | None = None, include_text: bool = False
) -> Dashboard:
    """Compute the quality figures for conversations started in the period (and ratings given in it)."""
    start = local_day_bounds(date_from)[0] if date_from else None
    end = local_day_bounds(date_to)[1] if date_to else None
    summaries = [
        s
        for s in transcripts.list_conversations(session=session, filters=ConversationFilters())
        if (start is None or s.started_at.timestamp() >= start) and (end is None or s.started_at.timestamp() < end)
    ]
    per_week: dict[tuple[int, int], list[transcripts.ConversationSummary]] = defaultdict(list)
    for summary in summaries:
        per_week[_week_of(summary.started_at)].append(summary)
    weeks = [
        WeekRow(
            year=y, week=w, conversations=len(per_week[(y, w)]),
            handovers=sum(s.handover_requested for s in per_week[(y, w)]),
            urgent=sum(s.urgent for s in per_week[(y, w)]),
            user_messages=sum(s.user_messages for s in per_week[(y, w)]),
            fallback_messages=sum(s.fallbacks for s in per_week[(y, w)]),
        )
        for y, w in _week_range(list(per_week))
    ]
    ratings = _ratings(session, start, end)
    rating_weeks = [
        RatingWeek(year=y, week=w, count=len(ratings.get((y, w), [])), average=_mean(ratings.get((y, w), [])))
        for y, w in _week_range(list(ratings))
    ]
    all_ratings = [r for values in ratings.values() for r in values]
    ids = {s.sender_id for s in summaries}
    progress = [p for p in transcripts.knapp_progress(session=session) if p[0] in ids]
    knapper = [
        KnappRow(
            key=key, title=transcripts.knapp_title(key), started=sum(1 for p in progress if p[1] == key),
            finished=sum(1 for p in progress if p[1] == key and p[2]),
        )
        for key in transcripts.knapp_keys()
    ]
    unanswered = (
        top_unanswered(transcripts.fallback_messages(session=session, sender_ids=ids)) if include_text and ids else []
    )
    return Dashboard(
        conversations=len(summaries),
        handovers=sum(s.handover_requested for s in summaries),
        urgent=sum(s.urgent for s in summaries),
        user_messages=sum(s.user_messages for s in summaries),
        fallback_messages=sum(s.fallbacks for s in summaries),
        ratings=len(all_ratings),
        rating_average=_mean(all_ratings),
        weeks=weeks,
        rating_weeks=rating_weeks,
        knapper=knapper,
        unanswered=unanswered,
        unknown_occupations=sorted(
            transcripts.unknown_occupations(session=session, sender_ids=ids).items(), key=lambda kv: (-kv[1], kv[0])
        )[:TOP_UNANSWERED],
        safety={level: sum(s.safety_level == level for s in summaries) for level in SAFETY_LEVELS},
        languages=dict(Counter(code for s in summaries for code in (s.languages or ("nb",))).most_common()),
        unmet_language_need=sum(any(needs_interpreter(code) for code in s.languages) for s in summaries),
    )


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _ratings(session: Session, start: float | None, end: float | None) -> dict[tuple[int, int], list[int]]:
    """Ratings from «Var dette nyttig?» (every conversation, stored or not), by week."""
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    for created_at, rating in session.execute(select(Rating.created_at, Rating.rating)):
        moment = aware(created_at)
        if moment is None:
            continue
        if (start is None or moment.timestamp() >= start) and (end is None or moment.timestamp() < end):
            found[_week_of(moment)].append(int(rating))
    return dict(found)
