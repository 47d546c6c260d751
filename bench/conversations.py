"""The conversation benchmark: whole conversations as users write them, each judged by the outcome it must reach.

`python bench/conversations.py` starts Veivalg (`veivalg run`) on free ports with its own databases,
plays every conversation in tests/conversations/ through the REST channel (as the web process does,
with the channel in the metadata), and judges each outcome from what the bot said, the conversation's
tracker (Rasa's HTTP API) and the counsellors' queue. The share that reached every outcome goes to
bench/results.md and docs/users.md. `--only ID` plays one conversation and prints it.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import stamp, write_section  # noqa: E402

CONVERSATIONS = ROOT / "tests" / "conversations"
STARTUP_SECONDS = 300
ENGLISH = {"you", "your", "the", "and", "is", "are", "what", "can", "to", "of", "for", "with", "i", "it", "do"}
NORWEGIAN = {"du", "jeg", "og", "er", "det", "som", "på", "til", "for", "med", "en", "ikke", "kan", "vil", "å"}


@dataclass
class Conversation:
    """One conversation from tests/conversations/: what the user types and what must hold at the end."""

    id: str
    theme: str
    channel: str
    consent: str | None
    turns: list[str]
    outcome: list[dict[str, Any]]


@dataclass
class Played:
    """What happened: the bot's texts after each message, the tracker at the end, the queue entries."""

    conversation: Conversation
    answers: list[list[str]] = field(default_factory=list)
    tracker: dict[str, Any] = field(default_factory=dict)
    handoffs: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""  # the bot did not answer (a timeout, a refused connection): every outcome fails

    @property
    def bot_texts(self) -> list[str]:
        return [text for answer in self.answers for text in answer]


def load_conversations(folder: Path = CONVERSATIONS) -> list[Conversation]:
    """Every conversation in the benchmark's YAML files, by theme (file name)."""
    found = []
    for path in sorted(folder.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            found.append(Conversation(
                id=str(item["id"]), theme=path.stem, channel=str(item.get("channel") or "terminal"),
                consent=None if item.get("consent") is None else str(item["consent"]),
                turns=[str(t) for t in item["turns"]], outcome=list(item.get("outcome") or []),
            ))
    return found


def folded(text: str) -> str:
    """Lower case without accents and with æ ø å spelt out, for comparing what users and the bot wrote."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def user_texts(tracker: dict[str, Any]) -> list[str]:
    return [str(e.get("text") or "") for e in tracker.get("events") or [] if e.get("event") == "user"]


def slot_text(tracker: dict[str, Any]) -> str:
    """Every slot value as one folded string: «min plan» is built from these."""
    return folded(repr(tracker.get("slots") or {}))


def actions_run(tracker: dict[str, Any]) -> set[str]:
    return {str(e.get("name")) for e in tracker.get("events") or [] if e.get("event") == "action"}


def is_english(text: str) -> bool:
    words = re.findall(r"[a-zæøå]+", text.lower())
    return sum(w in ENGLISH for w in words) > sum(w in NORWEGIAN for w in words)


def _titles() -> dict[str, str]:
    """Every name in the catalogue (folded) -> the folded title of its occupation: «brannmann» -> «brannkonstabel»."""
    from bot.catalogue.loader import DATA_FOLDER
    from bot.catalogue.schema import read_catalogue

    catalogue = read_catalogue(DATA_FOLDER)
    titles = {slug: folded(entry.title) for slug, (_, entry) in catalogue.occupations.items()}
    return {folded(name): titles[slug] for name, _, slug in catalogue.names()}


TITLES: dict[str, str] = {}


def _occupation_answer(played: Played, check: dict[str, Any]) -> bool:
    """The bot answered about the occupation, by the user's name for it or by its title in the catalogue."""
    if not TITLES:
        TITLES.update(_titles())
    name = folded(str(check.get("occupation") or ""))
    names = {name[:6], TITLES.get(name, name)[:6]}
    texts = [folded(t) for t in played.bot_texts]
    return any(n in t and "finner ikke" not in t and "cannot find" not in t for t in texts for n in names)


def _handover(played: Played, check: dict[str, Any]) -> bool:
    requests_made = [h for h in played.handoffs if h["reason"] not in ("crisis", "threat", "safety_check")]
    if not requests_made:
        return False
    if "shared" not in check:
        return True
    return any(bool(h["summary"]) == bool(check["shared"]) for h in requests_made)


def _safety(level: str) -> Callable[[Played, dict[str, Any]], bool]:
    def judge(played: Played, check: dict[str, Any]) -> bool:
        flagged = any(h["reason"] == level and h["urgent"] for h in played.handoffs)
        return flagged or (played.tracker.get("slots") or {}).get("safety_level") == level

    return judge


def _deleted(played: Played, check: dict[str, Any]) -> bool:
    """The conversation was wiped: the tracker keeps fewer user messages than were sent, by at least two."""
    sent = 1 + (played.conversation.consent is not None) + len(played.conversation.turns)
    return len(user_texts(played.tracker)) <= sent - 2


def _language(played: Played, check: dict[str, Any]) -> bool:
    last = played.bot_texts[-3:]
    english = [is_english(t) for t in last]
    return bool(last) and (all(english) if check.get("code") == "en" else not any(english))


def _way_in(played: Played, check: dict[str, Any]) -> bool:
    """The welcome of one of the ten languages' way in was shown (data/languages/<code>.yml)."""
    from bot.languages.way_in import way_ins

    welcome = way_ins()[str(check.get("code"))].welcome
    return any(text == welcome for text in played.bot_texts)


def _plan_contains(played: Played, check: dict[str, Any]) -> bool:
    wanted = folded(str(check.get("text") or ""))
    return wanted in slot_text(played.tracker) or any(wanted in folded(t) for t in played.bot_texts)


def _interest_acknowledged(played: Played, check: dict[str, Any]) -> bool:
    """The bot answered in the user's own terms before any test: an answer before the test names the interest.

    A greeting may come first («hei», then the interest); an answer that starts the test does not count.
    """
    interest = folded(str(check.get("interest") or ""))
    before: list[str] = []
    for answer in played.answers:
        text = folded(" ".join(answer))
        if "setning 1 av" in text:
            break
        before.append(text)
    heard = " ".join(before)
    return interest in heard if interest else "liker" in heard or "interess" in heard


# Where the user was when the request came, and what shows that the flow reached its end after it.
ENDS = {"knapp": "action_knapp_done", "plan_edit": "action_apply_plan_edit", "handover": "action_request_handover"}


def _continued(played: Played, check: dict[str, Any]) -> bool:
    """The flow the user was in reached its end: the knapp done, the test's result, the plan corrected."""
    where = str(check.get("where") or "")
    if where in ENDS:
        return ENDS[where] in actions_run(played.tracker)
    return bool((played.tracker.get("slots") or {}).get("interest_profile"))


OUTCOMES: dict[str, Callable[[Played, dict[str, Any]], bool]] = {
    "occupation_answer": _occupation_answer,
    "occupation_unknown": lambda p, c: any(re.search(r"finner ikke|cannot find", folded(t)) for t in p.bot_texts),
    "pay_answer": lambda p, c: any(re.search(r"\d[\d  ]{2,}\s*(kr|kroner)|lonn|tjener|pay", folded(t))
                                   for t in p.bot_texts),
    "route_answer": lambda p, c: any(re.search(r"veien til|fagbrev|laereplass|utdanning|how to become", folded(t))
                                     for t in p.bot_texts),
    "politiattest_answer": lambda p, c: any("politiattest" in folded(t) for t in p.bot_texts),
    "plan_contains": _plan_contains,
    "deleted": _deleted,
    "not_deleted": lambda p, c: not _deleted(p, c),
    "handover": _handover,
    "crisis": _safety("crisis"),
    "threat": _safety("threat"),
    "interest_acknowledged": _interest_acknowledged,
    "interest_result": lambda p, c: any(re.search(r"du liker best|most of all, you like", folded(t))
                                        for t in p.bot_texts),
    "continued": _continued,
    "language": _language,
    "way_in": _way_in,
    "no_crash": lambda p, c: all(p.answers) and not any(re.search(r"noe gikk galt|something went wrong", folded(t))
                                                        for t in p.bot_texts),
}


def judge(played: Played) -> list[tuple[str, bool]]:
    """Each outcome of the conversation and whether it held; an unknown outcome type counts as failed."""
    if played.error:
        return [(str(c["type"]), False) for c in played.conversation.outcome]
    return [(str(c["type"]), OUTCOMES.get(str(c["type"]), lambda p, c: False)(played, c))
            for c in played.conversation.outcome]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    """Veivalg running on free ports with databases of its own."""

    url: str
    api: str
    token: str
    secret: str
    database: Path


@contextmanager
def running_veivalg() -> Iterator[Stack]:
    """`veivalg run` in the background; stopped (Ctrl-C) when the benchmark is done."""
    from bot.settings import load_settings

    folder = Path(tempfile.mkdtemp(prefix="veivalg-conversations-"))
    rasa, actions, web = free_port(), free_port(), free_port()
    env = dict(os.environ) | {
        "VEIVALG_RASA_PORT": str(rasa), "VEIVALG_ACTIONS_PORT": str(actions), "VEIVALG_WEB_PORT": str(web),
        "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "VEIVALG_DATABASE_URL": f"sqlite:///{folder / 'veivalg.db'}",
        "VEIVALG_LOG_DIR": str(folder / "log"), "VEIVALG_SECRET_KEY": "conversations-" + "s" * 40,
    }
    subprocess.run([sys.executable, "-m", "bot.ops.cli", "catalogue", "load"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "bot.ops.cli", "run"], cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert process.stdout is not None
    deadline, seen = time.monotonic() + STARTUP_SECONDS, []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if "Veivalg svarer på" in line or (not line and process.poll() is not None):
            break
    if not any("Veivalg svarer på" in line for line in seen):
        process.kill()
        raise RuntimeError("Veivalg did not start:\n" + "".join(seen[-30:]))
    settings = load_settings(env)
    try:
        yield Stack(f"http://127.0.0.1:{rasa}/webhooks/rest/webhook", f"http://127.0.0.1:{rasa}",
                    settings.rasa_api_token, settings.channel_secret, folder / "veivalg.db")
    finally:
        process.send_signal(2)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def play(stack: Stack, conversation: Conversation, http: requests.Session) -> Played:
    """Send the opening, the answer to the storing question and every turn; read tracker and queue after."""
    from bot.settings import CHANNEL_SECRET_HEADER

    sender = f"conv-{conversation.id}"
    played = Played(conversation)

    def send(text: str) -> list[str]:
        body = {"sender": sender, "message": text, "metadata": {"channel": conversation.channel}}
        answer = http.post(stack.url, json=body, headers={CHANNEL_SECRET_HEADER: stack.secret}, timeout=120)
        answer.raise_for_status()
        return [str(m.get("text") or "") for m in answer.json()]

    try:
        send("hei")
        if conversation.consent is not None:
            send(conversation.consent)
        for turn in conversation.turns:
            played.answers.append(send(turn))
    except requests.RequestException as exc:
        played.error = f"{type(exc).__name__} after {len(played.answers)} turns"
        return played
    played.tracker = http.get(f"{stack.api}/conversations/{sender}/tracker", params={"token": stack.token},
                              timeout=60).json()
    with sqlite3.connect(stack.database) as db:
        db.row_factory = sqlite3.Row
        played.handoffs = [dict(r) for r in db.execute("select reason, urgent, summary from handoffs "
                                                        "where sender_id = ?", (sender,))]
    return played


def transcript(played: Played, checks: list[tuple[str, bool]]) -> str:
    """One conversation as it went, in Markdown: what the user typed and what the bot answered."""
    c = played.conversation
    lines = [f"### {c.id} ({c.channel}, storing: {c.consent or 'not answered'})", "", "```"]
    for turn, answer in zip(c.turns, played.answers, strict=False):
        lines.append(f"> {turn}")
        lines.extend(f"Veivalg: {text}" for text in answer)
    lines += ["```", "", "Outcome: " + ", ".join(f"{kind} {'reached' if ok else 'NOT reached'}" for kind, ok in checks)]
    return "\n".join(lines)


def report(results: list[tuple[Played, list[tuple[str, bool]]]]) -> str:
    """The share that reached every outcome, per theme and per outcome type, and what failed."""
    passed = [p for p, checks in results if all(ok for _, ok in checks)]
    by_theme: dict[str, list[bool]] = defaultdict(list)
    by_type: Counter[str] = Counter()
    failed_type: Counter[str] = Counter()
    for played, checks in results:
        by_theme[played.conversation.theme].append(all(ok for _, ok in checks))
        for kind, ok in checks:
            by_type[kind] += 1
            failed_type[kind] += not ok
    lines = [
        "## Conversation benchmark", "", stamp(), "",
        f"**{len(passed)} of {len(results)} conversations ({len(passed) / max(len(results), 1):.0%}) reached "
        "every outcome** they must reach (tests/conversations/, never used for training).", "",
        "| theme | reached |", "|---|---|",
        *(f"| {theme} | {sum(v)}/{len(v)} |" for theme, v in sorted(by_theme.items())), "",
        "| outcome | held |", "|---|---|",
        *(f"| {kind} | {by_type[kind] - failed_type[kind]}/{by_type[kind]} |" for kind in sorted(by_type)), "",
        "No answer at all: " + (", ".join(f"`{p.conversation.id}` ({p.error})" for p, _ in results if p.error)
                                  or "none") + ".",
        "Not reached: " + ", ".join(f"`{p.conversation.id}` ({', '.join(k for k, ok in c if not ok)})"
                                    for p, c in results if not all(ok for _, ok in c)) + ".",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="play one conversation (its id) and print what the bot said")
    parser.add_argument("--transcripts", type=Path, help="also write every conversation as it went to this file")
    parser.add_argument("--gate", type=float, help="fail (exit 1) below this share; write no results (make test)")
    args = parser.parse_args()
    conversations = [c for c in load_conversations() if not args.only or c.id == args.only]
    if not conversations:
        print(f"no conversation with id {args.only}")
        return 2
    results = []
    with running_veivalg() as stack, requests.Session() as http:
        for conversation in conversations:
            played = play(stack, conversation, http)
            checks = judge(played)
            results.append((played, checks))
            mark = "ok " if all(ok for _, ok in checks) else "NOT"
            verdicts = ", ".join(f"{kind}={'ja' if ok else 'nei'}" for kind, ok in checks) + (
                f" ({played.error})" if played.error else "")
            print(f"[veivalg] {mark} {conversation.id}: {verdicts}")
            if args.only:
                for turn, answer in zip(conversation.turns, played.answers, strict=False):
                    print(f"  > {turn}")
                    for text in answer:
                        print(f"    {text}")
    body = report(results)
    if args.transcripts:
        args.transcripts.write_text("\n\n".join(transcript(p, c) for p, c in results) + "\n", encoding="utf-8")
    share = sum(all(ok for _, ok in checks) for _, checks in results) / len(results)
    if args.gate is not None:
        print(f"[veivalg] samtaler: {share:.1%} nådde målet (krav: minst {args.gate:.0%})")
        return 0 if share >= args.gate else 1
    if not args.only:
        write_section("conversations", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
