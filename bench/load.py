"""Load tool: N simulated users hold whole conversations over REST, then we check the conversation store.

Each user greets, says yes to storing, goes through «Meg i kontekst» with free-text answers (one
«vet ikke»), asks about an occupation in the middle, asks for «min plan», says goodbye and rates.
Users run concurrently (asyncio + httpx), bounded in number and in time. The report gives latency
per turn (p50/p95/p99), throughput and errors; afterwards every acknowledged user message must be
in the tracker store exactly once and in order.

    python bench/load.py --users 50 --duration 180 --think 5   # `veivalg run` or `veivalg run-scaled`
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SENDER_HEADER = "X-Veivalg-Sender"  # the gateway hashes this to pick the Rasa server (bot/ops/scaled/)
UPSTREAM_HEADER = "X-Veivalg-Upstream"
WEBHOOK = "/webhooks/rest/webhook"


def channel_headers() -> dict[str, str]:
    """The REST channel answers only with this machine's secret (bot/rasa_adapter/channel.py); bare Rasa ignores it."""
    from bot.settings import CHANNEL_SECRET_HEADER, get_settings

    return {CHANNEL_SECRET_HEADER: get_settings().channel_secret}


@dataclass(frozen=True)
class Step:
    """One user turn: free text, or the button with this title in the bot's latest message."""

    text: str
    expect: str = ""  # a phrase the bot's answer should contain
    button: str = ""  # pick this button's payload when the bot offered it; otherwise send `text`
    consent: bool = False  # the turn where the user agrees to storing


OCCUPATIONS = ("tømrer", "elektriker", "kokk", "rørlegger", "helsefagarbeider", "sveiser")


def conversation(rng: random.Random) -> list[Step]:
    """A realistic conversation of 15 turns; the wording varies a little between users."""
    occupation = rng.choice(OCCUPATIONS)
    return [
        Step("hei", expect="Vil du at jeg tar vare på samtalen"),
        Step("/affirm", button="Ja, ta vare på den", expect="Samtalen tas vare på", consent=True),
        Step("/explore_self_in_context", button="Meg i kontekst", expect="Hva er viktig for deg"),
        Step(rng.choice(["å være der for datteren min når jeg kommer ut", "å få en fast jobb og et sted å bo"]),
             expect="Hvem har mest å si"),
        Step("vet ikke", expect="Hvem lytter du mest til"),
        Step(rng.choice(["mamma og læreren på skolen", "kompisen min fra verkstedet"]), expect="Hva er du god til"),
        Step(f"hva gjør en {occupation}", expect="Da går vi tilbake til spørsmålet"),
        Step(rng.choice(["jeg er flink til å fikse motorer", "jeg lager god mat til mange"]),
             expect="Hva har du lært om deg selv"),
        Step("jeg er tålmodig når jeg jobber i verkstedet", expect="Hva tar du med deg"),
        Step("at jeg kan mer enn jeg trodde", expect="ett lite steg"),
        Step(f"spørre skolen om fagbrev som {occupation}", expect="Bra jobbet"),
        Step("/request_summary", button="Vis min plan", expect="min plan"),
        Step("ha det", expect="Var dette nyttig?"),
        Step("5", button="5 Veldig nyttig", expect="Vil du skrive noen ord"),
        Step("det var fint å tenke høyt om dette", expect="Takk for praten"),
    ]


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


def reply_text(body: Any) -> str:
    return "\n".join(str(m.get("text") or "") for m in body if isinstance(m, dict)) if isinstance(body, list) else ""


def pick(step: Step, body: Any) -> str:
    """The button's payload when the bot offered that button, else the step's own text."""
    if step.button and isinstance(body, list):
        for message in body:
            for button in (message.get("buttons") or []) if isinstance(message, dict) else []:
                if button.get("title") == step.button:
                    return str(button.get("payload") or step.text)
    return step.text


async def send(client: httpx.AsyncClient, url: str, sender: str, text: str) -> tuple[str, Any, str]:
    """POST one message; (error, body, upstream)."""
    try:
        response = await client.post(url, json={"sender": sender, "message": text}, headers={SENDER_HEADER: sender})
    except httpx.TimeoutException:
        return "timeout", None, ""
    except httpx.HTTPError as exc:
        return f"connection: {type(exc).__name__}", None, ""
    try:
        body = response.json()
    except ValueError:
        body = None
    return classify(response.status_code, body), body, response.headers.get(UPSTREAM_HEADER, "")


async def run_user(client: httpx.AsyncClient, url: str, sender: str, steps: Sequence[Step], start: float,
                   deadline: float, think: float, rng: random.Random, retries: int = 2) -> list[Turn]:
    """One user's conversation: a turn, a pause to read and type, the next turn; stops at the deadline.

    After an error answer the user does what the bot asks («Prøv igjen om litt»): waits and sends
    the same message again, at most `retries` times, then goes on.
    """
    turns: list[Turn] = []
    last_body: Any = None
    for index, step in enumerate(steps):
        text = pick(step, last_body)
        for attempt in range(retries + 1):
            if time.monotonic() >= deadline:
                return turns
            began = time.monotonic()
            error, body, upstream = await send(client, url, sender, text)
            turns.append(Turn(
                sender=sender, index=index, text=text, started=began - start, seconds=time.monotonic() - began,
                error=error, unexpected=not error and bool(step.expect) and step.expect not in reply_text(body),
                upstream=upstream, consent=step.consent,
            ))
            if not error:
                last_body = body
                break
            if attempt < retries:
                await asyncio.sleep(max(1.0, think))
        if think > 0 and index < len(steps) - 1:
            await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    return turns


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


async def run_load(url: str, users: int, duration: float, think: float = 2.0, ramp: float = 10.0,
                   conversations: int = 1, seed: int = 1, prefix: str = "", timeout: float = 90.0,
                   retries: int = 2, headers: dict[str, str] | None = None) -> LoadRun:
    """Run `users` concurrent users, each holding `conversations` conversations, for at most `duration` seconds.

    `headers` go with every request; by default the REST channel's secret from this machine's settings.
    """
    prefix = prefix or f"load-{uuid.uuid4().hex[:6]}"
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    start = time.monotonic()
    deadline = start + duration

    async def user(number: int) -> list[Turn]:
        rng = random.Random(seed * 100_003 + number)
        await asyncio.sleep(ramp * number / max(users, 1))
        turns: list[Turn] = []
        for repeat in range(conversations):
            sender = f"{prefix}-{number:04d}-{repeat}"
            turns += await run_user(client, url, sender, conversation(rng), start, deadline, think, rng, retries)
        return turns

    headers = channel_headers() if headers is None else headers
    async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) as client:
        results = await asyncio.gather(*(user(n) for n in range(users)))
    return LoadRun(users=users, wall_seconds=time.monotonic() - start, turns=[t for ts in results for t in ts])


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

    Before consent a conversation lives in the memory of one Rasa server; a message acknowledged by
    another server than the one that took the «ja» (after a failover) is allowed to be missing.
    """
    consent = next((t for t in turns if t.consent and t.acknowledged), None)
    if consent is None:
        return None
    expected = []
    for turn in turns:
        before_consent_elsewhere = turn.index < consent.index and turn.upstream != consent.upstream
        expected.append(Sent(turn.text, required=turn.acknowledged and not before_consent_elsewhere))
    return expected


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


def targets(profile: str = "auto") -> tuple[str, str]:
    """The webhook URL and the tracker store URL of the running profile, from the settings.

    `auto` asks the address of `veivalg run` for nginx's health page: it answers only in the scaled profile.
    """
    from bot.ops.scaled import load_scaled_settings
    from bot.settings import load_settings

    settings = load_settings()
    scaled = load_scaled_settings(settings)
    if profile == "auto":
        try:
            gateway = httpx.get(f"{scaled.gateway_url}/gateway/health", timeout=5).status_code == 200
        except httpx.HTTPError:
            gateway = False
        profile = "scaled" if gateway else "embedded"
    if profile == "scaled":
        return scaled.gateway_url + WEBHOOK, scaled.postgres_url()
    return settings.rasa_url + WEBHOOK, settings.tracker_store_url


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180.0, help="stop sending after this many seconds")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between turns, seconds")
    parser.add_argument("--ramp", type=float, default=10.0, help="spread the users' starts over this many seconds")
    parser.add_argument("--conversations", type=int, default=1, help="conversations per user")
    parser.add_argument("--profile", choices=["auto", "embedded", "scaled"], default="auto",
                        help="`veivalg run` or `veivalg run-scaled`; auto finds out which one runs")
    parser.add_argument("--url", help="webhook URL (default: from the settings)")
    parser.add_argument("--tracker-store-url", help="SQLAlchemy URL of the conversation store (default: settings)")
    parser.add_argument("--no-verify", action="store_true", help="skip the check of the conversation store")
    parser.add_argument("--json", type=Path, help="also write every turn and the summary as JSON here")
    args = parser.parse_args(argv)

    url, store = targets(args.profile)
    url, store = args.url or url, args.tracker_store_url or store
    run = asyncio.run(run_load(url, args.users, args.duration, args.think, args.ramp, args.conversations))
    summary = summarise(run)
    verification = None if args.no_verify else verify(run, stored_user_messages(store, run.by_sender()))
    print(f"load against {url}")
    print("\n".join(report_lines(summary, verification)))
    for failure in (verification.failures if verification else [])[:10]:
        print(f"  {failure.sender}: lost {list(failure.lost)} duplicated {list(failure.duplicated)} "
              f"foreign {list(failure.foreign)} out of order {failure.out_of_order}")
    if args.json:
        args.json.write_text(json.dumps({"summary": asdict(summary), "turns": [asdict(t) for t in run.turns]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    healthy = not summary.errors and (verification is None or verification.ok)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
