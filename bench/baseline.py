"""Veivalg's embedded profile against a bare Rasa baseline, and turn 100 against turn 5.

The baseline is the stock project of `rasa init --no-prompt`, created in a temporary folder, trained
and run in the same benchmark run. Both are measured the same way: one user at a time over REST,
one conversation after the other. Writes the `baseline` section of bench/results.md.

    python bench/baseline.py [--conversations 16] [--long-turns 105]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.foundation import rss_mib  # noqa: E402
from bench.load_run import run_locust  # noqa: E402
from bench.report import stamp, write_section  # noqa: E402
from bench.scenarios import MOODBOT_TURNS  # noqa: E402
from bench.store_check import percentile, summarise  # noqa: E402
from bench.webhook import WEBHOOK, channel_headers  # noqa: E402
from bot.ops import launcher  # noqa: E402
from bot.ops.runtime_env import QUIET_ENVIRONMENT  # noqa: E402
from bot.ops.scaled import copy_model, prepare_databases  # noqa: E402
from bot.ops.training import model_path  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402

OUT = ROOT / "bench" / "out"
EMBEDDED_SERVICES = ("handlingsserver", "rasa")  # `veivalg run` without the web process
OCCUPATION_QUESTIONS = [
    "hva gjør en tømrer", "hvordan blir jeg elektriker", "hva gjør en kokk", "kan jeg bli vekter med dom",
    "hva gjør en rørlegger", "hvordan blir jeg helsefagarbeider", "hva gjør en sveiser", "hva gjør en frisør",
    "hvordan blir jeg yrkessjåfør", "hva gjør en snekker",
]


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed_turns(url: str, sender: str, texts: list[str], require_answer: bool = True) -> list[float]:
    """Send each text in turn; the latency of each, in ms. Any error stops the benchmark.

    The stock moodbot is trained anew in every run and now and then answers a turn with silence; that
    is its model, not a fault, so the baseline does not require an answer.
    """
    latencies: list[float] = []
    with httpx.Client(timeout=120, headers=channel_headers()) as client:
        for text in texts:
            began = time.perf_counter()
            response = client.post(url, json={"sender": sender, "message": text}, headers={"X-Veivalg-Sender": sender})
            latencies.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200 or (require_answer and not response.json()):
                raise RuntimeError(f"{url} answered {response.status_code} to {text!r}: {response.text[:200]}")
    return latencies


def wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 600) -> float:
    """Seconds until `url` answers 200; raise if the process dies first."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped while starting (exit {process.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - began
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


@dataclass(frozen=True)
class Baseline:
    training_s: float
    load_s: float
    memory_mib: float
    turns: int
    p50_ms: float
    p95_ms: float


@dataclass(frozen=True)
class Embedded:
    load_s: float
    memory: dict[str, float]
    turns: int
    conversations: int
    p50_ms: float
    p95_ms: float
    long_runs: int
    turn5_ms: float
    turn100_ms: float
    events_turn5: int
    events_turn100: int
    store_turn5_ms: float
    store_turn100_ms: float


@dataclass(frozen=True)
class Moodbot:
    """The stock `rasa init` bot, trained and answering on its REST webhook."""

    url: str
    process: subprocess.Popen[bytes]
    training_s: float
    load_s: float


@contextmanager
def moodbot(port: int, log_name: str = "baseline-rasa.log") -> Iterator[Moodbot]:
    """Create and train `rasa init --no-prompt` in a temporary folder and serve it on `port` until the block ends."""
    env = dict(os.environ) | QUIET_ENVIRONMENT
    rasa = [sys.executable, "-m", "rasa"]
    with tempfile.TemporaryDirectory(prefix="veivalg-baseline-") as folder:
        project = Path(folder)
        began = time.monotonic()
        subprocess.run([*rasa, "init", "--no-prompt", "--init-dir", str(project)], cwd=project, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        training = time.monotonic() - began
        (project / "credentials.yml").write_text("rest:\n", encoding="utf-8")
        model = sorted((project / "models").glob("*.tar.gz"))[-1]
        log = (OUT / log_name).open("wb")
        server = subprocess.Popen(
            [*rasa, "run", "--model", str(model), "--credentials", "credentials.yml", "--interface", "127.0.0.1",
             "--port", str(port)], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            load = wait_ready(f"http://127.0.0.1:{port}/", server)
            yield Moodbot(f"http://127.0.0.1:{port}{WEBHOOK}", server, training, load)
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()


def baseline(port: int, conversations: int) -> Baseline:
    """Create, train and run `rasa init --no-prompt`; training time, load time, memory, latency."""
    with moodbot(port) as bot:
        timed_turns(bot.url, "warmup", ["hello"], require_answer=False)
        latencies = [
            ms for n in range(conversations) for ms in timed_turns(bot.url, f"mood-{n}", list(MOODBOT_TURNS), False)
        ]
        memory = rss_mib(bot.process.pid)
    return Baseline(bot.training_s, bot.load_s, memory, len(latencies), statistics.median(latencies),
                    percentile(latencies, 0.95))


def embedded_settings(name: str = "baseline") -> Settings:
    """`veivalg run` on bench ports, with an SQLite store of its own (bench/out/NAME-*.db) and a copy of the model."""
    os.environ.setdefault("VEIVALG_RASA_PORT", "5305")
    os.environ.setdefault("VEIVALG_ACTIONS_PORT", "5355")
    os.environ["VEIVALG_TRACKER_STORE_URL"] = f"sqlite:///{OUT / f'{name}-tracker.db'}"
    os.environ["VEIVALG_DATABASE_URL"] = f"sqlite:///{OUT / f'{name}-veivalg.db'}"
    os.environ["VEIVALG_LOG_DIR"] = str(OUT / "log")
    settings = load_settings()
    copy = copy_model(model_path(settings), OUT / "model" / model_path(settings).name)
    return replace(settings, model_dir=copy.parent)


def long_conversation(turns: int) -> list[str]:
    return ["hei", "/affirm"] + [OCCUPATION_QUESTIONS[i % len(OCCUPATION_QUESTIONS)] for i in range(turns - 2)]


def retrieve_ms(settings: Settings, sender: str, repeats: int = 20) -> tuple[float, int]:
    """How long the conversation store takes to load one conversation, and how many events it has."""
    from rasa.shared.core.domain import Domain

    from bot.rasa_adapter.tracker_store import ConsentTrackerStore

    store = ConsentTrackerStore(domain=Domain.from_path(str(ROOT / "domain.yml")), host=settings.tracker_store_url)
    tracker = asyncio.run(store.retrieve(sender))
    events = len(tracker.events) if tracker else 0
    began = time.perf_counter()
    for _ in range(repeats):
        asyncio.run(store.retrieve(sender))
    store.engine.dispose()
    return (time.perf_counter() - began) * 1000 / repeats, events


@contextmanager
def embedded_running(settings: Settings) -> Iterator[tuple[list[launcher.Service], float]]:
    """`veivalg run`'s action server and Rasa until the block ends; the services and the seconds they took to start."""
    prepare_databases(settings)
    services = [s for s in launcher.build_services(settings) if s.name in EMBEDDED_SERVICES]
    began = time.monotonic()
    launcher.start_all(settings, services)
    load = time.monotonic() - began
    try:
        yield services, load
    finally:
        launcher.stop_all(services)


def embedded(settings: Settings, conversations: int, long_turns: int, long_runs: int) -> Embedded:
    """Load time, memory, per-turn latency and turn 100 against turn 5 of `veivalg run`."""
    with embedded_running(settings) as (services, load):
        url = settings.rasa_url + WEBHOOK
        timed_turns(url, "warmup", ["hei"])
        run = run_locust(url, users=1, duration=3600, think=0, ramp=0, prefix="bench-embedded",
                         conversations=conversations, retries=0, user_classes=["GuidanceUser"])
        summary = summarise(run)
        if summary.errors:
            raise RuntimeError(f"errors in the embedded profile: {summary.errors}")
        latencies = [t.seconds * 1000 for t in run.turns]
        memory = {s.name: rss_mib(s.process.pid) for s in services if s.process}
        early: list[float] = []
        late: list[float] = []
        senders = []
        for _ in range(long_runs):
            sender = f"bench-long-{uuid.uuid4().hex[:6]}"
            senders.append(sender)
            turns = timed_turns(url, sender, long_conversation(long_turns))
            early += turns[2:7]  # turns 3-7 (turn 5 in the middle)
            late += turns[97:102]  # turns 98-102 (turn 100 in the middle)
        short = f"bench-short-{uuid.uuid4().hex[:6]}"
        timed_turns(url, short, long_conversation(5))
        store_early, events_early = retrieve_ms(settings, short)
        store_late, events_late = retrieve_ms(settings, senders[0])
    return Embedded(
        load, memory, len(latencies), conversations, statistics.median(latencies), percentile(latencies, 0.95),
        long_runs, statistics.median(early), statistics.median(late), events_early, events_late, store_early,
        store_late,
    )


def section(base: Baseline, veivalg: Embedded) -> str:
    p95_ratio = veivalg.p95_ms / base.p95_ms
    long_ratio = veivalg.turn100_ms / veivalg.turn5_ms
    lines = [
        "## Embedded profile against bare Rasa (`rasa init --no-prompt`), and turn 100 against turn 5",
        "",
        f"{stamp()} Load average at the end: {loadavg()}.",
        "",
        "One user at a time over REST. Veivalg: the realistic 15-turn guidance conversation of `bench/locustfile.py`",
        "(consent, a knapp with free text and «vet ikke», an occupation question, «min plan», rating),",
        "SQLite conversation store, action server. Baseline: the stock moodbot, in-memory store, no actions.",
        "",
        "| what | bare Rasa | Veivalg (embedded) | ratio (target) |",
        "|---|---|---|---|",
        f"| latency per turn p50 | {base.p50_ms:.0f} ms | {veivalg.p50_ms:.0f} ms | "
        f"{veivalg.p50_ms / base.p50_ms:.1f}x |",
        f"| latency per turn p95 | {base.p95_ms:.0f} ms | {veivalg.p95_ms:.0f} ms | "
        f"**{p95_ratio:.1f}x** (≤ 2x: {'met' if p95_ratio <= 2 else 'NOT met'}) |",
        f"| turns measured | {base.turns} | {veivalg.turns} ({veivalg.conversations} conversations) | |",
        f"| training time | {base.training_s:.0f} s (`rasa init`) | see the foundation section | |",
        f"| model load until the server answers | {base.load_s:.0f} s | {veivalg.load_s:.0f} s "
        "(action server + Rasa) | |",
        f"| memory after the run: Rasa | {base.memory_mib:.0f} MiB | {veivalg.memory.get('rasa', 0):.0f} MiB | |",
        f"| memory after the run: action server | – | {veivalg.memory.get('handlingsserver', 0):.0f} MiB | |",
        "",
        f"Turn 100 against turn 5 of one conversation ({veivalg.long_runs} conversations of occupation "
        "questions after «ja» to storing, so the SQL store holds them):",
        "",
        "| what | turn 5 | turn 100 | ratio (target) |",
        "|---|---|---|---|",
        f"| latency (median of turns 3-7 / 98-102) | {veivalg.turn5_ms:.0f} ms | {veivalg.turn100_ms:.0f} ms | "
        f"**{long_ratio:.2f}x** (≤ 1.2x: {'met' if long_ratio <= 1.2 else 'NOT met'}) |",
        f"| events in the conversation | {veivalg.events_turn5} | {veivalg.events_turn100} | |",
        f"| loading the conversation from the store (`retrieve`) | {veivalg.store_turn5_ms:.1f} ms | "
        f"{veivalg.store_turn100_ms:.1f} ms | |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=16)
    parser.add_argument("--long-turns", type=int, default=105)
    parser.add_argument("--long-runs", type=int, default=2)
    parser.add_argument("--baseline-port", type=int, default=5405)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    for name in ("baseline-tracker.db", "baseline-veivalg.db"):
        (OUT / name).unlink(missing_ok=True)
    base = baseline(args.baseline_port, args.conversations)
    print(json.dumps(asdict(base)), flush=True)
    veivalg = embedded(embedded_settings(), args.conversations, args.long_turns, args.long_runs)
    print(json.dumps(asdict(veivalg)), flush=True)
    text = section(base, veivalg)
    write_section("baseline", text)
    print(text)
    shutil.rmtree(OUT / "model", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
