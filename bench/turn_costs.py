"""Where a turn's time goes, at turn 5 and at turn 100 of one stored conversation, with and without Veivalg's
changes to Rasa.

Runs Rasa's Agent in this process (the action server as its own process, as in `veivalg run`) and times
the parts of each turn. Two runs, each in a fresh process: Veivalg as it runs, and Rasa as shipped
(no `bot/rasa_adapter/speedups.py`, no conversation cache, every event sent to the action server, no frozen
model). Writes the `turn-costs` section of bench/results.md.

    python bench/turn_costs.py [--turns 105]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import stamp, write_section  # noqa: E402

OUT = ROOT / "bench" / "out"
ACTIONS_PORT = 5356
EARLY, LATE = slice(2, 7), slice(97, 102)  # turns 3-7 and 98-102: turn 5 and turn 100 in the middle
# (label, owner module, owner name, attribute)
PARTS = [
    ("whole turn", "rasa.core.processor", "MessageProcessor", "handle_message"),
    ("read the conversation", "bot.rasa_adapter.tracker_store", "ConsentTrackerStore", "retrieve"),
    ("understand the message (NLU)", "rasa.core.processor", "MessageProcessor", "parse_message"),
    ("choose the next actions (policies)", "rasa.core.processor", "MessageProcessor", "_predict_next_with_tracker"),
    ("– of which the dialogue's states", "rasa.shared.core.domain", "Domain", "states_for_tracker_history"),
    ("call the action server", "rasa.utils.endpoints", "EndpointConfig", "request"),
    ("save the turn", "bot.rasa_adapter.tracker_store", "ConsentTrackerStore", "save"),
]


class Timers:
    """Time spent in a few functions, summed per turn."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)

    def wrap(self, label: str, owner: Any, name: str) -> None:
        function = getattr(owner, name)
        current = self.current

        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                began = time.perf_counter()
                try:
                    return await function(*args, **kwargs)
                finally:
                    current[label] += time.perf_counter() - began

            setattr(owner, name, timed_async)
        else:

            @functools.wraps(function)
            def timed(*args: Any, **kwargs: Any) -> Any:
                began = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    current[label] += time.perf_counter() - began

            setattr(owner, name, timed)

    def take(self) -> dict[str, float]:
        taken = {label: seconds * 1000 for label, seconds in self.current.items()}
        self.current.clear()
        return taken


def quiet_rasa() -> None:
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    for name in list(logging.root.manager.loggerDict):
        logging.getLogger(name).setLevel(logging.WARNING)


async def run_conversation(veivalg: bool, turns: int) -> dict[str, Any]:
    """One long conversation through Rasa's Agent; the milliseconds of each part of each turn."""
    import importlib

    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from bench.baseline import long_conversation
    from bot.ops.training import model_path
    from bot.rasa_adapter import speedups as rasa_speedups
    from bot.settings import load_settings

    if veivalg:
        rasa_speedups.apply()
    timers = Timers()
    for label, module, owner, name in PARTS:
        timers.wrap(label, getattr(importlib.import_module(module), owner), name)
    store = OUT / f"turn-costs-{'veivalg' if veivalg else 'rasa'}.db"
    store.unlink(missing_ok=True)
    endpoints = AvailableEndpoints(
        action=EndpointConfig(url=f"http://127.0.0.1:{ACTIONS_PORT}/webhook", enable_selective_domain=veivalg),
        tracker_store=EndpointConfig(type="bot.rasa_adapter.tracker_store.ConsentTrackerStore", url=f"sqlite:///{store}"),
    )
    agent = await load_agent(model_path=str(model_path(load_settings())), endpoints=endpoints)
    quiet_rasa()
    if veivalg:
        from bot.privacy.redaction import get_redactor

        get_redactor()
        rasa_speedups.freeze_loaded_objects()
    sender = f"turn-costs-{int(time.time())}"
    for text in long_conversation(6):  # warm up both servers (first predictions, the catalogue), not measured
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), f"{sender}-warm-up"))
    per_turn: list[dict[str, float]] = []
    events: list[int] = []
    for number, text in enumerate(long_conversation(turns), start=1):
        timers.take()
        output = CollectingOutputChannel()
        await agent.handle_message(UserMessage(text, output, sender))
        if not output.messages:
            raise RuntimeError(f"no answer to {text!r}")
        per_turn.append(timers.take())
        if number in (5, 100):
            tracker = await agent.tracker_store.retrieve(sender)  # not timed: the next turn starts the timers
            events.append(len(tracker.events) if tracker else 0)
    return {"turns": per_turn, "events": events}


def child(veivalg: bool, turns: int) -> None:
    os.environ["VEIVALG_TRACKER_CACHE_EVENTS"] = "50000" if veivalg else "0"
    os.environ["VEIVALG_ACTION_HISTORY_TURNS"] = "5" if veivalg else "0"
    print(json.dumps(asyncio.run(run_conversation(veivalg, turns))), flush=True)


def measure(veivalg: bool, turns: int) -> dict[str, Any]:
    from bot.ops.runtime_env import QUIET_ENVIRONMENT

    env = dict(os.environ) | QUIET_ENVIRONMENT
    command = [sys.executable, __file__, "--child", "veivalg" if veivalg else "rasa", "--turns", str(turns)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def median_of(turns: list[dict[str, float]], window: slice, label: str) -> float:
    return statistics.median(turn.get(label, 0.0) for turn in turns[window])


def action_server(settings: Any) -> Callable[[], None]:
    """Start the action server on the benchmark's port; return how to stop it."""
    from dataclasses import replace

    from bot.ops import launcher
    settings = replace(settings, actions_port=ACTIONS_PORT, actions="server", log_dir=OUT / "log")
    service = next(s for s in launcher.build_services(settings) if s.name == "handlingsserver")
    launcher.start_service(settings, service)
    return lambda: launcher.stop_all([service])


def section(results: dict[str, dict[str, Any]]) -> str:
    veivalg, rasa = results["veivalg"], results["rasa"]
    lines = [
        "## Where a turn's time goes: turn 5 and turn 100 of one stored conversation",
        "",
        stamp(),
        "",
        "One conversation of occupation questions after «ja» to storing, through Rasa's Agent in one process",
        "(SQLite store, action server as its own process), after a short conversation to warm both up.",
        "Median milliseconds per turn of turns 3-7 and 98-102.",
        "*Rasa as shipped*: without `bot/rasa_adapter/speedups.py`, without the conversation cache, every event sent",
        "to the action server, garbage collection as usual.",
        "",
        "| part of the turn | Veivalg, turn 5 | Veivalg, turn 100 | Rasa as shipped, turn 5 | "
        "Rasa as shipped, turn 100 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, *_ in PARTS:
        cells = [median_of(run["turns"], window, label) for run in (veivalg, rasa) for window in (EARLY, LATE)]
        name = f"**{label}**" if label == "whole turn" else label
        lines.append(f"| {name} | " + " | ".join(f"{ms:.1f}" for ms in cells) + " |")
    slowest = [max(turn["whole turn"] for turn in run["turns"][2:]) for run in (veivalg, rasa)]
    lines += [
        f"| slowest turn (from turn 3) | {slowest[0]:.0f} | | {slowest[1]:.0f} | |",
        "| events in the conversation | " + " | ".join(str(n) for run in (veivalg, rasa) for n in run["events"]) + " |",
        "",
        "The parts overlap: the dialogue's states are made while the policies choose.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=105)
    parser.add_argument("--child", choices=["veivalg", "rasa"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child == "veivalg", args.turns)
        return 0
    from bot.ops.scaled import prepare_databases
    from bot.settings import load_settings

    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["VEIVALG_DATABASE_URL"] = f"sqlite:///{OUT / 'turn-costs-veivalg-tables.db'}"
    settings = load_settings()
    prepare_databases(settings)
    stop = action_server(settings)
    try:
        results = {"veivalg": measure(True, args.turns), "rasa": measure(False, args.turns)}
    finally:
        stop()
    text = section(results)
    write_section("turn-costs", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
