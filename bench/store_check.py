"""A load run's turns, their summary, and the check that the store kept each acknowledged message once, in order."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def technical_problem_text() -> str:
    """What the channel answers when the bot could not handle a message (bot/rasa_adapter/system_texts.yml)."""
    texts = yaml.safe_load((ROOT / "bot" / "rasa_adapter" / "system_texts.yml").read_text(encoding="utf-8"))
    return str(texts["technical_problem"])


@dataclass
class Turn:
    """One message sent and what came back."""

    sender: str
    index: int
    text: str
    started: float  # seconds since the start of the run
    seconds: float
    error: str = ""  # empty when the message was acknowledged
    unexpected: bool = False  # acknowledged, but without the expected phrase
    upstream: str = ""
    consent: bool = False
    last: bool = False  # the conversation's last step

    @property
    def acknowledged(self) -> bool:
        return not self.error


def classify(status: int, body: Any) -> str:
    """Why a response does not acknowledge the message, or '' when it does."""
    if status != 200:
        return f"http {status}"
    if not isinstance(body, list) or not body:
        return "empty answer"
    if any(isinstance(m, dict) and m.get("text") == technical_problem_text() for m in body):
        return "technical problem"
    return ""


@dataclass
class LoadRun:
    """Everything one run measured."""

    users: int
    wall_seconds: float
    turns: list[Turn] = field(default_factory=list)

    def by_sender(self) -> dict[str, list[Turn]]:
        grouped: dict[str, list[Turn]] = {}
        for turn in self.turns:
            grouped.setdefault(turn.sender, []).append(turn)
        return grouped


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """Latency, throughput and errors of a run."""

    users: int
    turns: int
    acknowledged: int
    errors: dict[str, int]
    unexpected: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    turns_per_second: float
    wall_seconds: float


def summarise(run: LoadRun) -> Summary:
    """Latency over acknowledged turns; every other turn counts as an error, by kind."""
    ok = [t.seconds * 1000 for t in run.turns if t.acknowledged]
    return Summary(
        users=run.users,
        turns=len(run.turns),
        acknowledged=len(ok),
        errors=dict(Counter(t.error for t in run.turns if t.error)),
        unexpected=sum(1 for t in run.turns if t.unexpected),
        p50_ms=percentile(ok, 0.50),
        p95_ms=percentile(ok, 0.95),
        p99_ms=percentile(ok, 0.99),
        max_ms=max(ok, default=0.0),
        turns_per_second=len(ok) / run.wall_seconds if run.wall_seconds else 0.0,
        wall_seconds=run.wall_seconds,
    )


@dataclass(frozen=True)
class Sent:
    """A message as the client saw it: `required` when it was acknowledged and must be stored."""

    text: str
    required: bool


@dataclass(frozen=True)
class Check:
    """How one conversation's stored user messages compare with what was sent."""

    sender: str
    ok: bool
    lost: tuple[str, ...] = ()  # acknowledged, not stored
    duplicated: tuple[str, ...] = ()  # stored more often than sent
    foreign: tuple[str, ...] = ()  # stored, never sent
    out_of_order: bool = False


def check_conversation(sender: str, sent: Sequence[Sent], stored: Sequence[str]) -> Check:
    """Stored must be the sent messages in order, each at most once, with every required one present.

    Messages that were not acknowledged (an error answer, a dropped connection) may or may not have
    been stored: the client cannot know, so either is fine, but never twice.
    """
    n, m = len(sent), len(stored)
    # fits[i][j]: stored[j:] is exactly a subsequence of sent[i:] that contains every required message.
    fits = [[False] * (m + 1) for _ in range(n + 1)]
    fits[n][m] = True
    for i in range(n - 1, -1, -1):
        for j in range(m, -1, -1):
            matched = j < m and stored[j] == sent[i].text and fits[i + 1][j + 1]
            fits[i][j] = matched or (not sent[i].required and fits[i + 1][j])
    if fits[0][0]:
        return Check(sender, ok=True)
    stored_count = Counter(stored)
    required_count = Counter(s.text for s in sent if s.required)
    sent_count = Counter(s.text for s in sent)
    lost = tuple(t for t, c in required_count.items() for _ in range(max(0, c - stored_count[t])))
    duplicated = tuple(t for t, c in stored_count.items() if t in sent_count for _ in range(max(0, c - sent_count[t])))
    foreign = tuple(t for t in stored if t not in sent_count)
    return Check(sender, ok=False, lost=lost, duplicated=duplicated, foreign=foreign,
                 out_of_order=not (lost or duplicated or foreign))


def expected_messages(turns: Sequence[Turn]) -> list[Sent] | None:
    """What one conversation must have stored; None when the user's «ja» to storing was never acknowledged.

    Every acknowledged message counts, whichever server answered it: before consent a conversation lives
    in memory every Rasa server shares (Redis in the scaled profile), so a «ja» at one server stores what
    the others heard before.
    """
    if not any(t.consent and t.acknowledged for t in turns):
        return None
    return [Sent(turn.text, required=turn.acknowledged) for turn in turns]


@dataclass(frozen=True)
class Verification:
    """The store check over every conversation of a run."""

    checked: int
    not_checked: int  # the «ja» to storing was never acknowledged
    acknowledged_messages: int
    failures: list[Check]

    @property
    def lost(self) -> int:
        return sum(len(c.lost) for c in self.failures)

    @property
    def duplicated(self) -> int:
        return sum(len(c.duplicated) for c in self.failures)

    @property
    def ok(self) -> bool:
        return not self.failures


def verify(run: LoadRun, stored: dict[str, list[str]]) -> Verification:
    """Compare every conversation of the run with the user messages in the store."""
    failures: list[Check] = []
    checked = not_checked = acknowledged = 0
    for sender, turns in run.by_sender().items():
        expected = expected_messages(turns)
        if expected is None:
            not_checked += 1
            continue
        checked += 1
        acknowledged += sum(1 for s in expected if s.required)
        result = check_conversation(sender, expected, stored.get(sender, []))
        if not result.ok:
            failures.append(result)
    return Verification(checked, not_checked, acknowledged, failures)


def stored_user_messages(tracker_store_url: str, senders: Iterable[str]) -> dict[str, list[str]]:
    """The user messages in Rasa's `events` table, per conversation, in the order they were stored."""
    from sqlalchemy import column, create_engine, select, table

    events = table("events", column("id"), column("sender_id"), column("type_name"), column("data"))
    wanted = sorted(set(senders))
    found: dict[str, list[str]] = {sender: [] for sender in wanted}
    engine = create_engine(tracker_store_url, future=True)
    try:
        with engine.connect() as connection:
            for start in range(0, len(wanted), 500):
                query = (
                    select(events.c.sender_id, events.c.data)
                    .where(events.c.type_name == "user", events.c.sender_id.in_(wanted[start : start + 500]))
                    .order_by(events.c.id)
                )
                for sender, data in connection.execute(query):
                    found[sender].append(str(json.loads(data).get("text") or ""))
    finally:
        engine.dispose()
    return found


def report_lines(summary: Summary, verification: Verification | None) -> list[str]:
    """A short markdown table of a run."""
    errors = ", ".join(f"{kind}: {count}" for kind, count in sorted(summary.errors.items())) or "none"
    lines = [
        "| what | value |",
        "|---|---|",
        f"| users | {summary.users} |",
        f"| turns sent / acknowledged | {summary.turns} / {summary.acknowledged} |",
        f"| latency per turn p50 / p95 / p99 / max | {summary.p50_ms:.0f} / {summary.p95_ms:.0f} / "
        f"{summary.p99_ms:.0f} / {summary.max_ms:.0f} ms |",
        f"| throughput | {summary.turns_per_second:.1f} turns/s over {summary.wall_seconds:.0f} s |",
        f"| errors | {errors} |",
        f"| acknowledged answers without the expected phrase | {summary.unexpected} |",
    ]
    if verification is not None:
        lines += [
            f"| conversations checked in the store | {verification.checked} "
            f"({verification.not_checked} without an acknowledged «ja») |",
            f"| acknowledged messages lost / duplicated | {verification.lost} / {verification.duplicated} |",
            f"| conversations stored out of order or with foreign messages | "
            f"{sum(1 for c in verification.failures if c.out_of_order or c.foreign)} |",
        ]
    return lines
