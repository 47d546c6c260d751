"""The scaled profile under load: start-up, memory of every process, 50 users, and how many users fit.

Starts `veivalg run-scaled` on bench ports with its own folder (bench/out/scaled), runs the Locust
users of bench/locustfile.py against nginx, checks PostgreSQL afterwards, and writes the `scaled` section
of bench/results.md. Needs PostgreSQL, Redis and nginx (`make scaled-deps`).

    python bench/scaled.py [--think 5] [--ladder-up 75,100,150] [--ladder-down 40,30,20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.baseline import loadavg  # noqa: E402
from bench.foundation import rss_mib  # noqa: E402
from bench.load_run import run_locust  # noqa: E402
from bench.report import stamp, write_section  # noqa: E402
from bench.store_check import Summary, Verification, stored_user_messages, summarise, verify  # noqa: E402
from bench.webhook import WEBHOOK  # noqa: E402
from bot.ops.scaled import ScaledSettings, load_scaled_settings  # noqa: E402
from bot.settings import load_settings  # noqa: E402

OUT = ROOT / "bench" / "out"
PORTS = {
    "VEIVALG_GATEWAY_PORT": "5505", "VEIVALG_ACTIONS_PORT": "5555", "VEIVALG_POSTGRES_PORT": "5533",
    "VEIVALG_REDIS_PORT": "6390", "VEIVALG_RASA_SERVERS": "2",
}


@dataclass(frozen=True)
class Step:
    users: int
    think: float
    summary: Summary
    verification: Verification

    @property
    def holds(self) -> bool:
        return not self.summary.errors and self.verification.ok


def start(env: dict[str, str], folder: Path, timeout: float = 600) -> tuple[subprocess.Popen[str], float, list[str]]:
    """`veivalg run-scaled` until it says it answers; the process, the seconds it took and its output."""
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "bot.ops.cli", "run-scaled"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip())

    threading.Thread(target=read, daemon=True).start()
    while not any("svarer på" in line for line in output):
        if process.poll() is not None or time.monotonic() - began > timeout:
            process.kill()
            raise RuntimeError("run-scaled did not start:\n" + "\n".join(output[-20:]))
        time.sleep(0.5)
    return process, time.monotonic() - began, output


@contextmanager
def running(folder: Path) -> Iterator[tuple[ScaledSettings, float]]:
    """`veivalg run-scaled` on bench ports with its data in `folder` (emptied first) until the block ends."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dict(os.environ) | PORTS | {"VEIVALG_SCALED_DIR": str(folder)}
    env.pop("VEIVALG_TRACKER_STORE_URL", None)
    env.pop("VEIVALG_DATABASE_URL", None)
    profile = load_scaled_settings(load_settings(env), env)
    process, startup, _ = start(env, folder)
    try:
        yield profile, startup
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=180)


def memory(folder: Path) -> dict[str, float]:
    """Resident memory of each process, from the pid files (PostgreSQL with its backends)."""
    found = {}
    for pid_file in sorted((folder / "log").glob("*.pid")):
        pid = int(pid_file.read_text())
        found[pid_file.stem] = rss_mib(pid)
    return found


def measure(url: str, store: str, users: int, think: float, prefix: str) -> Step:
    # Long enough for every user to finish its one conversation: the ramp, 15 turns with their pauses, some slack.
    duration = 10 + 15 * (think + 1.5) + 60
    run = run_locust(url, users, duration, think=think, ramp=10.0, prefix=prefix, conversations=1)
    step = Step(users, think, summarise(run), verify(run, stored_user_messages(store, run.by_sender())))
    print(f"{users} users, think {think:.0f} s: p50 {step.summary.p50_ms:.0f} ms, p95 {step.summary.p95_ms:.0f} ms, "
          f"errors {step.summary.errors}, lost {step.verification.lost}, load {loadavg()}", flush=True)
    return step


def under_a_second(step: Step) -> bool:
    return step.summary.p95_ms < 1000 and step.holds


def row(step: Step) -> str:
    s, v = step.summary, step.verification
    errors = sum(s.errors.values())
    return (f"| {step.users} | {step.think:.0f} s | {s.acknowledged}/{s.turns} | {s.p50_ms:.0f} | {s.p95_ms:.0f} | "
            f"{s.p99_ms:.0f} | {s.turns_per_second:.1f} | {errors} | {v.lost} / {v.duplicated} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=5.0, help="mean pause between a user's turns, seconds")
    parser.add_argument("--ladder-up", default="75,100,125,150,200", help="tried after 50 users held p95 < 1 s")
    parser.add_argument("--ladder-down", default="40,30,20,10", help="tried when 50 users did not")
    args = parser.parse_args()

    folder = OUT / "scaled"
    steps: list[Step] = []
    with running(folder) as (profile, startup):
        url, store = profile.gateway_url + WEBHOOK, profile.postgres_url()
        idle = memory(folder)
        main_step = measure(url, store, args.users, args.think, "bench-scaled")
        steps.append(main_step)
        loaded = memory(folder)
        steps.append(measure(url, store, args.users, 2.0, "bench-stress"))
        best = main_step.users if under_a_second(main_step) else 0
        worst = 0 if best else main_step.users  # the fewest users tried that did not hold
        # Up from 50 while p95 stays under a second; or, when 50 users are already too many, down.
        ladder = args.ladder_up if best else args.ladder_down
        for users in (int(n) for n in ladder.split(",")):
            step = measure(url, store, users, args.think, f"bench-ladder-{users}")
            steps.append(step)
            if under_a_second(step):
                best = max(best, users)
                if ladder is args.ladder_down:
                    break
            else:
                worst = users if not worst else min(worst, users)
                if ladder is args.ladder_up:
                    break
        # Then halve the gap between the most that held and the fewest that did not, to within 10 users.
        while best and worst and worst - best > 10:
            users = (best + worst) // 10 * 5
            step = measure(url, store, users, args.think, f"bench-ladder-{users}")
            steps.append(step)
            if under_a_second(step):
                best = users
            else:
                worst = users

    s = main_step.summary
    target = s.p95_ms < 500 and not s.errors and main_step.verification.ok
    lines = [
        "## Scaled profile (`veivalg run-scaled`: PostgreSQL, Redis lock store, 2 Rasa servers with their own",
        "action servers, nginx hashing the conversation id)",
        "",
        f"{stamp()} Load average at the end: {loadavg()}. The load tool runs on the same 2 cores.",
        "",
        "Each user (Locust, `bench/locustfile.py`) holds one conversation: three in four the 15-turn guidance",
        "conversation, one in four occupation questions and a handover to a person.",
        f"They pause {args.think:.0f} s on average between turns (uniformly half to one and a half times that) to",
        "read and type; starts spread over 10 s. Every acknowledged user message was then looked up in PostgreSQL",
        "(exactly once, in order).",
        "",
        "| users | pause | acknowledged | p50 ms | p95 ms | p99 ms | turns/s | errors | lost / duplicated |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *[row(step) for step in steps],
        "",
        f"- {args.users} users, p95 < 500 ms, no errors, nothing lost: **{'met' if target else 'NOT met'}** "
        f"(p95 {s.p95_ms:.0f} ms).",
        f"- Most users tried with p95 < 1 s, no errors and nothing lost (pause {args.think:.0f} s): **{best}**"
        + (f" ({worst} users did not hold)." if worst else "."),
        f"- Start-up until nginx answers (two Rasa servers loading in parallel): {startup:.0f} s.",
        "",
        "| process | memory idle | memory after the 50-user run |",
        "|---|---:|---:|",
        *[f"| {name} | {idle[name]:.0f} MiB | {loaded.get(name, 0):.0f} MiB |" for name in sorted(idle)],
        "",
    ]
    text = "\n".join(lines)
    write_section("scaled", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
