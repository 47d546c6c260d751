"""Veivalg against bare Rasa under load, in the same run: latency per turn and throughput against users.

Bare Rasa is the stock `rasa init --no-prompt` bot, trained and served by the project's Rasa
(bench/baseline.py). Then Veivalg's embedded profile (`veivalg run`'s Rasa server, actions inside it, on bench
ports), then the scaled profile (bench/scaled.py) when PostgreSQL, Redis and nginx are installed. One
target at a time, each through every level: one user without pauses (sequential), then N users with
pauses between turns. Locust (bench/locustfile.py) drives them; for Veivalg every acknowledged message is
then looked up in the conversation store. Writes the `throughput` section of bench/results.md and draws
latency against users to docs/performance-throughput.png.

    python bench/throughput.py [--levels 1,10,30,50,80] [--duration 90] [--ramp 10] [--think 2] [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.baseline import embedded_running, embedded_settings, loadavg, moodbot, timed_turns  # noqa: E402
from bench.load_run import run_locust  # noqa: E402
from bench.report import stamp, write_section  # noqa: E402
from bench.scaled import running as scaled_running  # noqa: E402
from bench.scenarios import MOODBOT_TURNS  # noqa: E402
from bench.store_check import Summary, Verification, stored_user_messages, summarise, verify  # noqa: E402
from bench.webhook import WEBHOOK  # noqa: E402

OUT = ROOT / "bench" / "out"
PNG = ROOT / "docs" / "performance-throughput.png"
QUICK_PNG = OUT / "throughput-quick.png"
BARE = "bare Rasa"
EMBEDDED = "Veivalg embedded"
SCALED = "Veivalg scaled"
VEIVALG_USERS = ("GuidanceUser", "HandoverUser")  # by their weights: 3 guidance conversations to 1 handover


@dataclass(frozen=True)
class Level:
    """How many users at once, their pause between turns, how long, and over how many seconds they start."""

    users: int
    think: float
    duration: float
    ramp: float

    @property
    def sequential(self) -> bool:
        return self.users == 1


@dataclass(frozen=True)
class Result:
    """One target at one level."""

    target: str
    level: Level
    summary: Summary
    verification: Verification | None  # None: no store check (bare Rasa keeps conversations in memory)


def parse_users(text: str) -> list[int]:
    """'1,30,50' as user counts: whole numbers from 1, each once, in rising order."""
    try:
        counts = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of user counts: {text!r}") from exc
    if not counts or counts[0] < 1:
        raise argparse.ArgumentTypeError(f"user counts must be 1 or more: {text!r}")
    return counts


def levels(users: Sequence[int], think: float, duration: float, ramp: float, sequential_s: float) -> list[Level]:
    """One user is the sequential level (no pause, no ramp, its own duration); more users pause and ramp up."""
    return [Level(1, 0.0, sequential_s, 0.0) if n == 1 else Level(n, think, duration, ramp) for n in users]


def users_text(level: Level) -> str:
    return "1 (sequential)" if level.sequential else str(level.users)


def errors_text(errors: dict[str, int]) -> str:
    """The number of errors, with their kinds: '3 (empty answer 2, timeout 1)'; '0' for none."""
    if not errors:
        return "0"
    return f"{sum(errors.values())} ({', '.join(f'{kind} {count}' for kind, count in sorted(errors.items()))})"


def ratio_text(value: float, base: float) -> str:
    return f"{value / base:.1f}x" if base > 0 and value > 0 else "–"


def row(result: Result) -> str:
    """A line of the results table."""
    s, v = result.summary, result.verification
    store = f"{v.lost} / {v.duplicated}" if v is not None else "–"
    return (f"| {result.target} | {users_text(result.level)} | {result.level.think:g} s | "
            f"{s.acknowledged} / {s.turns} | {s.p50_ms:.0f} | {s.p95_ms:.0f} | {s.p99_ms:.0f} | "
            f"{s.turns_per_second:.1f} | {errors_text(s.errors)} | {store} |")


def ratio_rows(results: Sequence[Result]) -> list[str]:
    """Per level: bare Rasa's p95, and each Veivalg profile's p95 with its ratio to bare Rasa's."""
    p95 = {(r.target, r.level.users): r.summary.p95_ms for r in results}
    targets = [t for t in (EMBEDDED, SCALED) if any(r.target == t for r in results)]
    lines = [
        "| users | bare Rasa p95 | " + " | ".join(f"{t} p95 | {t} / bare" for t in targets) + " |",
        "|---|---:|" + "---:|---:|" * len(targets),
    ]
    for level in sorted({r.level for r in results}, key=lambda lv: lv.users):
        base = p95.get((BARE, level.users), 0.0)
        cells = [users_text(level), f"{base:.0f} ms" if base else "–"]
        for target in targets:
            value = p95.get((target, level.users), 0.0)
            cells += [f"{value:.0f} ms" if value else "–", f"**{ratio_text(value, base)}**"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def section(results: Sequence[Result], when: str, notes: Sequence[str] = (), picture: str = "") -> str:
    """The `throughput` section of bench/results.md."""
    loaded = [r.level for r in results if not r.level.sequential]
    sequential = [r.level for r in results if r.level.sequential]
    how = []
    if sequential:
        how.append(f"Sequential: one user, no pause between turns, for {sequential[0].duration:g} s.")
    if loaded:
        how += [f"Under load: users start over {loaded[0].ramp:g} s and pause {loaded[0].think:g} s on average between",
                f"turns (half to one and a half times that), for {loaded[0].duration:g} s per level."]
    lines = [
        "## Throughput: Veivalg against bare Rasa under load, in the same run",
        "",
        f"{when} Load average at the end: {loadavg()}.",
        "",
        "Bare Rasa: the stock `rasa init --no-prompt` bot (moodbot: English turns, in-memory store, no actions),",
        "trained and served by the project's Rasa in this run. Veivalg embedded: `veivalg run`'s Rasa server",
        "(actions inside it, SQLite store). Veivalg scaled: `veivalg run-scaled` (PostgreSQL, Redis, 2 Rasa",
        "servers, nginx).",
        "One target at a time with nothing else running; Locust (`bench/locustfile.py`) on the same cores.",
        "Veivalg's users hold the guidance conversation (3 in 4) or the handover conversation (1 in 4), the",
        "moodbot's its 15 English turns; each user starts a new conversation until the time is up.",
        *how,
        "Every message is sent once (no resend after an error); it counts as acknowledged when the answer is",
        "HTTP 200 with at least one message. Latency over acknowledged turns; turns/s = acknowledged turns per",
        "second. For Veivalg every acknowledged message was then looked up in the store (exactly once, in order).",
        "",
        "| target | users | pause | acknowledged / sent | p50 ms | p95 ms | p99 ms | turns/s | errors "
        "| lost / duplicated |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
        *[row(r) for r in results],
        "",
        "p95 per turn, Veivalg against bare Rasa at the same level:",
        "",
        *ratio_rows(results),
        "",
        *[f"- {note}" for note in notes],
    ]
    if picture:
        lines.append(f"- Latency against users: `{picture}`.")
    return "\n".join(lines).rstrip() + "\n"


def plot(results: Sequence[Result], path: Path) -> Path:
    """Latency per turn (p50 solid, p95 dashed) against users, a line pair per target, as a PNG."""
    with warnings.catch_warnings():  # matplotlib 3.5 uses pyparsing's old names
        warnings.simplefilter("ignore", DeprecationWarning)
        import matplotlib  # type: ignore[import-untyped]

        matplotlib.use("Agg")
        from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(8, 4.8), dpi=120)
    colours = {BARE: "#7f7f7f", EMBEDDED: "#1f77b4", SCALED: "#2ca02c"}
    for target in (BARE, EMBEDDED, SCALED):
        mine = sorted((r for r in results if r.target == target), key=lambda r: r.level.users)
        if not mine:
            continue
        users = [r.level.users for r in mine]
        colour = colours[target]
        axes.plot(users, [r.summary.p50_ms for r in mine], "o-", color=colour, label=f"{target} p50")
        axes.plot(users, [r.summary.p95_ms for r in mine], "s--", color=colour, label=f"{target} p95")
    think = next((r.level.think for r in results if not r.level.sequential), 0.0)
    axes.set_xticks(sorted({r.level.users for r in results}))
    axes.set_xlabel(f"users at once (1: sequential, no pause; more: pause {think:g} s between turns)")
    axes.set_ylabel("latency per turn (ms)")
    axes.set_title("Latency per turn against users, Veivalg and bare Rasa in the same run")
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    return path


def measure(target: str, url: str, store: str | None, user_classes: Sequence[str], level: Level) -> Result:
    """Run one level against one target; with a store URL, check the store afterwards."""
    prefix = f"tp-{target.split()[-1].lower()}-{level.users}"
    run = run_locust(url, level.users, level.duration, think=level.think, ramp=level.ramp, prefix=prefix,
                     retries=0, user_classes=user_classes)
    summary = summarise(run)
    verification = verify(run, stored_user_messages(store, run.by_sender())) if store else None
    store_text = f", lost {verification.lost}, duplicated {verification.duplicated}" if verification else ""
    print(f"{target}, users {users_text(level)}: p50 {summary.p50_ms:.0f} ms, p95 {summary.p95_ms:.0f} ms, "
          f"p99 {summary.p99_ms:.0f} ms, {summary.turns_per_second:.1f} turns/s, errors {errors_text(summary.errors)}"
          f"{store_text}, load {loadavg()}", flush=True)
    return Result(target, level, summary, verification)


def measure_bare(port: int, plan: Sequence[Level]) -> list[Result]:
    """The stock moodbot, trained and served for this run, through every level."""
    print(f"{BARE}: creating, training and starting `rasa init --no-prompt` on port {port}", flush=True)
    with moodbot(port, "throughput-rasa.log") as bot:
        timed_turns(bot.url, "warmup", list(MOODBOT_TURNS[:3]), require_answer=False)
        return [measure(BARE, bot.url, None, ["MoodbotUser"], level) for level in plan]


def measure_embedded(plan: Sequence[Level]) -> list[Result]:
    """`veivalg run`'s Rasa server on bench ports, with fresh SQLite stores, through every level."""
    for name in ("throughput-tracker.db", "throughput-veivalg.db"):
        (OUT / name).unlink(missing_ok=True)
    settings = embedded_settings("throughput")
    print(f"{EMBEDDED}: starting Rasa on {settings.rasa_url} (actions: {settings.actions})", flush=True)
    try:
        with embedded_running(settings):
            url = settings.rasa_url + WEBHOOK
            timed_turns(url, "warmup", ["hei"])
            return [measure(EMBEDDED, url, settings.tracker_store_url, VEIVALG_USERS, level) for level in plan]
    finally:
        shutil.rmtree(OUT / "model", ignore_errors=True)


def scaled_missing() -> str:
    """Why the scaled profile cannot run here; '' when PostgreSQL, Redis and nginx are installed."""
    from bot.ops.scaled import find_program, postgres_bin_dir

    try:
        postgres_bin_dir()
        find_program("redis-server")
        find_program("nginx", [Path("/usr/sbin/nginx")])
    except RuntimeError as exc:
        return str(exc)
    return ""


def measure_scaled(plan: Sequence[Level]) -> list[Result]:
    """`veivalg run-scaled` on bench ports (bench/scaled.py) through every level, PostgreSQL checked after each."""
    print(f"{SCALED}: starting PostgreSQL, Redis, 2 Rasa servers and nginx", flush=True)
    with scaled_running(OUT / "throughput-scaled") as (profile, _startup):
        url, store = profile.gateway_url + WEBHOOK, profile.postgres_url()
        for n in range(4):  # nginx spreads conversations by id: warm both Rasa servers
            timed_turns(url, f"warmup-{n}", ["hei"])
        return [measure(SCALED, url, store, VEIVALG_USERS, level) for level in plan]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--levels", type=parse_users, default=parse_users("1,10,30,50,80"),
                        help="users at once, comma-separated; 1 is the sequential level (default: 1,10,30,50,80)")
    parser.add_argument("--duration", type=float, default=90.0, help="seconds per level under load")
    parser.add_argument("--sequential-duration", type=float, default=60.0, help="seconds of the sequential level")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the users start")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between a user's turns, seconds")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: levels 1 and 5, 20 s each; prints, draws to bench/out, writes no results")
    parser.add_argument("--no-scaled", action="store_true", help="leave out the scaled profile")
    parser.add_argument("--baseline-port", type=int, default=5405, help="port of the bare Rasa server")
    parser.add_argument("--png", type=Path, help=f"the picture (default: {PNG.relative_to(ROOT)}; --quick: "
                                                 f"{QUICK_PNG.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    if args.quick:
        plan = levels([1, 5], args.think, 20.0, 2.0, 20.0)
    else:
        plan = levels(args.levels, args.think, args.duration, args.ramp, args.sequential_duration)
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"levels: {', '.join(users_text(level) for level in plan)}; load average {loadavg()}", flush=True)

    results: list[Result] = []
    notes: list[str] = []
    failed = False
    results += measure_bare(args.baseline_port, plan)
    results += measure_embedded(plan)
    missing = "left out (--no-scaled)" if args.no_scaled else scaled_missing()
    if missing:
        print(f"{SCALED}: skipped: {missing}", flush=True)
        notes.append(f"{SCALED} not measured: {missing}")
    else:
        try:
            results += measure_scaled(plan)
        except RuntimeError as exc:
            print(f"{SCALED}: failed: {exc}", flush=True)
            notes.append(f"{SCALED} not measured: {str(exc).splitlines()[0]}")
            failed = True

    picture = plot(results, args.png or (QUICK_PNG if args.quick else PNG))
    shown = picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture
    if args.quick:
        notes.insert(0, "Quick smoke run (`--quick`): a check that everything runs, not a measurement.")
        when = f"Quick run {datetime.now(timezone.utc):%Y-%m-%d %H:%M UTC}."
    else:
        when = stamp()
    text = section(results, when, notes, str(shown))
    if not args.quick:
        write_section("throughput", text)
    print(text)
    print(f"picture: {picture}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
