"""Measure training time, model size, server memory after load and per-turn latency; write bench/results.md."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import stamp, write_section  # noqa: E402
from bot.ops import launcher  # noqa: E402
from bot.ops.spacy_model import prepare_pipeline  # noqa: E402
from bot.ops.training import model_path, train  # noqa: E402
from bot.settings import CHANNEL_SECRET_HEADER, load_settings  # noqa: E402

CONVERSATION = [
    "hei",
    "hva kan du hjelpe meg med",
    "kan jeg ta skole her inne",
    "ja",
    "trenger jeg politiattest for å bli vekter",
    "nei",
    "hvem kan lese det jeg skriver",
    "takk",
    "ha det",
]


def rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, in MiB."""
    total_kib = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.is_file():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kib += int(line.split()[1])
    return total_kib / 1024


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skip-training", action="store_true", help="measure the existing model")
    parser.add_argument("--conversations", type=int, default=10)
    args = parser.parse_args()

    os.environ.setdefault("VEIVALG_RASA_PORT", "5105")
    os.environ.setdefault("VEIVALG_ACTIONS_PORT", "5155")
    os.environ.setdefault("VEIVALG_TRACKER_STORE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'tracker.db'}")
    os.environ.setdefault("VEIVALG_LOG_DIR", str(ROOT / "bench" / "out" / "log"))
    settings = load_settings()
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)

    pipeline = prepare_pipeline(settings.spacy_model_dir)
    training_seconds = None
    if not args.skip_training:
        training_seconds = train(settings, pipeline, force=True).seconds
    size_mib = model_path(settings).stat().st_size / 1024 / 1024

    services = launcher.build_services(settings)
    started = time.monotonic()
    launcher.start_all(settings, services)
    load_seconds = time.monotonic() - started
    try:
        url = f"{settings.rasa_url}/webhooks/rest/webhook"
        headers = {CHANNEL_SECRET_HEADER: settings.channel_secret}
        requests.post(url, json={"sender": "warmup", "message": "hei"}, headers=headers, timeout=60)
        memory = {s.name: rss_mib(s.process.pid) for s in services if s.process}
        latencies: list[float] = []
        for _ in range(args.conversations):
            sender = f"bench-{uuid.uuid4().hex[:8]}"
            for text in CONVERSATION:
                t0 = time.perf_counter()
                response = requests.post(url, json={"sender": sender, "message": text}, headers=headers, timeout=60)
                latencies.append((time.perf_counter() - t0) * 1000)
                response.raise_for_status()
    finally:
        launcher.stop_all(services)

    lines = [
        "## Foundation (embedded profile: SQLite tracker store, one Rasa server, one action server)",
        "",
        f"{stamp()} spaCy pipeline: {pipeline.source}.",
        "",
        "| what | value |",
        "|---|---|",
        f"| training time (`rasa train --force`) | {training_seconds:.0f} s |"
        if training_seconds is not None
        else "| training time | not measured in this run |",
        f"| model size | {size_mib:.1f} MiB |",
        f"| start-up until both servers answer | {load_seconds:.0f} s |",
    ]
    lines += [f"| memory after load: {name} | {mib:.0f} MiB |" for name, mib in memory.items()]
    lines += [
        f"| turns measured | {len(latencies)} ({args.conversations} conversations of {len(CONVERSATION)} turns) |",
        f"| latency per turn p50 | {statistics.median(latencies):.0f} ms |",
        f"| latency per turn p95 | {percentile(latencies, 0.95):.0f} ms |",
        "",
    ]
    write_section("foundation", "\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
