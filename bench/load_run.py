"""`make load`: the Locust users of bench/locustfile.py, headless, then the check of the conversation store."""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.store_check import LoadRun, Turn, report_lines, stored_user_messages, summarise, verify  # noqa: E402
from bench.webhook import HEADERS_ENV, WEBHOOK, channel_headers  # noqa: E402

LOCUSTFILE = ROOT / "bench" / "locustfile.py"
REPORT = ROOT / "results" / "load" / "report.html"


def locust_command() -> list[str]:
    """The `locust` next to this Python (the virtualenv's), or this Python's locust module."""
    program = Path(sys.executable).parent / "locust"
    return [str(program)] if program.is_file() else [sys.executable, "-m", "locust"]


def read_turns(path: Path) -> list[Turn]:
    """The turns the users wrote, one JSON object a line, in the order they were answered."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Turn(**json.loads(line)) for line in lines if line.strip()]


def run_locust(url: str, users: int, duration: float, think: float = 2.0, ramp: float = 10.0, prefix: str = "",
               headers: dict[str, str] | None = None, html: Path | None = None, *, conversations: int = 0,
               retries: int = 2, timeout: float = 90.0, seed: int = 1, user_classes: Sequence[str] = (),
               echo: bool = False, routing_header: bool = True, widget: bool = False) -> LoadRun:
    """`locust --headless` with `users` users against the webhook `url` for at most `duration` seconds; its turns."""
    # `headers` go with every request (default: this machine's channel secret). Each user holds
    # `conversations` conversations and stops (0: new ones until the time is up). `user_classes` limits the
    # kinds of users (GuidanceUser, HandoverUser; default both, by weight). `echo` shows Locust's own output.
    # `routing_header=False` sends only Rasa's JSON body, without X-Veivalg-Sender. `widget=True` talks as the
    # chat widget does to the web address `url` (/chat/api/session, /chat/api/message).
    prefix = prefix or f"load-{uuid.uuid4().hex[:6]}"
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    stop_timeout = math.ceil(timeout) + 5  # a message on its way when the time is up still gets its answer
    with tempfile.TemporaryDirectory(prefix="veivalg-load-") as folder:
        turns_file = Path(folder) / "turns.jsonl"
        command = [
            *locust_command(), "-f", str(LOCUSTFILE), "--headless", "--only-summary", "--exit-code-on-error", "0",
            "-u", str(users), "-r", f"{users / ramp if ramp > 0 else max(users, 1):g}",
            "-t", f"{max(1, math.ceil(duration))}s", "--stop-timeout", str(stop_timeout),
            "--host", f"{parts.scheme}://{parts.netloc}", "--webhook-path", path,
            "--think", f"{think:g}", "--turns-file", str(turns_file), "--sender-prefix", prefix,
            "--conversations", str(conversations), "--retries", str(retries), "--answer-timeout", f"{timeout:g}",
            "--seed", str(seed),
        ]
        if widget:
            command.append("--widget")
        if not routing_header:
            command.append("--no-routing-header")  # a plain REST client: nginx cannot route it by conversation
        if html is not None:
            html.parent.mkdir(parents=True, exist_ok=True)
            command += ["--html", str(html)]
        command += list(user_classes)
        env = dict(os.environ) | {HEADERS_ENV: json.dumps(channel_headers() if headers is None else headers)}
        output = None if echo else subprocess.PIPE
        finished = subprocess.run(command, cwd=ROOT, env=env, text=True, stdout=output, stderr=output,
                                  timeout=duration + stop_timeout + 120)
        turns = read_turns(turns_file)
    if finished.returncode != 0:
        shown = "" if echo else "\n".join((finished.stdout + finished.stderr).splitlines()[-30:])
        raise RuntimeError(f"locust stopped with exit code {finished.returncode}\n{shown}")
    ended = max((t.started + t.seconds for t in turns), default=0.0)  # from the run's start to the last answer
    return LoadRun(users=users, wall_seconds=ended, turns=turns)


def targets(profile: str = "auto") -> tuple[str, str]:
    """The webhook URL and the tracker store URL of the running profile, from the settings."""
    # `auto` asks the address of `veivalg run` for nginx's health page: it answers only in the scaled profile.
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
    parser = argparse.ArgumentParser(
        description="Simulated users (Locust, bench/locustfile.py) against the running Veivalg, then a check that "
                    "the conversation store kept every acknowledged user message exactly once and in order.")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=180.0, help="stop sending after this many seconds")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause between turns, seconds")
    parser.add_argument("--ramp", type=float, default=10.0, help="spread the users' starts over this many seconds")
    parser.add_argument("--conversations", type=int, default=0,
                        help="conversations per user (default: new ones until the time is up)")
    parser.add_argument("--profile", choices=["auto", "embedded", "scaled"], default="auto",
                        help="`veivalg run` or `veivalg run-scaled`; auto finds out which one runs")
    parser.add_argument("--url", help="webhook URL (default: from the settings)")
    parser.add_argument("--tracker-store-url", help="SQLAlchemy URL of the conversation store (default: settings)")
    parser.add_argument("--no-verify", action="store_true", help="skip the check of the conversation store")
    parser.add_argument("--html", type=Path, default=REPORT, help="Locust's HTML report (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write every turn and the summary as JSON here")
    parser.add_argument("--no-routing-header", action="store_true",
                        help="send only Rasa's JSON body, as a plain REST client does")
    parser.add_argument("--widget", action="store_true",
                        help="talk as the chat widget does, through the web address (/chat/api), not the webhook")
    args = parser.parse_args(argv)

    url, store = targets(args.profile)
    if args.widget:
        from bot.settings import load_settings

        url = load_settings().web_url
    url, store = args.url or url, args.tracker_store_url or store
    print(f"load against {url}: {args.users} users for {args.duration:.0f} s, pause {args.think:g} s", flush=True)
    run = run_locust(url, args.users, args.duration, args.think, args.ramp, html=args.html,
                     conversations=args.conversations, echo=True, routing_header=not args.no_routing_header,
                     widget=args.widget)
    summary = summarise(run)
    verification = None if args.no_verify else verify(run, stored_user_messages(store, run.by_sender()))
    print(f"\nload against {url}")
    print("\n".join(report_lines(summary, verification)))
    for turn in [t for t in run.turns if t.unexpected][:10]:
        print(f"  no expected phrase: {turn.sender} step {turn.index + 1} {turn.text!r}")
    for failure in (verification.failures if verification else [])[:10]:
        print(f"  {failure.sender}: lost {list(failure.lost)} duplicated {list(failure.duplicated)} "
              f"foreign {list(failure.foreign)} out of order {failure.out_of_order}")
    print(f"Locust's report: {args.html}")
    if args.json:
        args.json.write_text(json.dumps({"summary": asdict(summary), "turns": [asdict(t) for t in run.turns]},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    healthy = not summary.errors and (verification is None or verification.ok)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
