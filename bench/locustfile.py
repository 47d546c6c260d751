"""Locust users that hold whole conversations over the REST webhook and write every turn to a file."""

from __future__ import annotations

import itertools
import json
import os
import random
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import gevent
from gevent.event import Event
from locust import HttpUser, constant, events, task
from locust.env import Environment
from locust.exception import StopUser
from requests.exceptions import Timeout

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scenarios import (  # noqa: E402
    Step,
    conversation,
    handover_conversation,
    moodbot_conversation,
    pick,
    reply_text,
)
from bench.store_check import Turn, classify  # noqa: E402
from bench.webhook import HEADERS_ENV, SENDER_HEADER, UPSTREAM_HEADER, WEBHOOK, channel_headers  # noqa: E402


@events.init_command_line_parser.add_listener
def add_arguments(parser: Any) -> None:
    """Veivalg's options, on the command line or as VEIVALG_LOAD_* environment variables."""
    group = parser.add_argument_group("Veivalg", "The simulated users of bench/locustfile.py")
    group.add_argument("--think", type=float, default=2.0, env_var="VEIVALG_LOAD_THINK",
                       help="mean pause between a user's turns in seconds; each pause is 0.5-1.5 times this")
    group.add_argument("--turns-file", default="", env_var="VEIVALG_LOAD_TURNS",
                       help="append every turn to this file as a JSON line, for the store check after the run")
    group.add_argument("--sender-prefix", default="load", env_var="VEIVALG_LOAD_PREFIX",
                       help="conversation ids are PREFIX-USER-CONVERSATION")
    group.add_argument("--conversations", type=int, default=0, env_var="VEIVALG_LOAD_CONVERSATIONS",
                       help="conversations per user; the run ends when every user has held them (0: until -t)")
    group.add_argument("--retries", type=int, default=2, env_var="VEIVALG_LOAD_RETRIES",
                       help="after an error answer, wait and send the same message again at most this often")
    group.add_argument("--answer-timeout", type=float, default=90.0, env_var="VEIVALG_LOAD_TIMEOUT",
                       help="seconds to wait for the bot's answer")
    group.add_argument("--seed", type=int, default=1, env_var="VEIVALG_LOAD_SEED", help="for the users' wording")
    group.add_argument("--webhook-path", default=WEBHOOK, env_var="VEIVALG_LOAD_PATH", help="path of the REST webhook")
    group.add_argument("--widget", action="store_true", env_var="VEIVALG_LOAD_WIDGET",
                       help="talk as the chat widget does, through the web address's /chat/api (the host is the "
                            "web address: 8000), instead of the REST webhook")
    group.add_argument("--no-routing-header", action="store_true", env_var="VEIVALG_LOAD_NO_ROUTING",
                       help="send only Rasa's JSON body, as a plain REST client does (no X-Veivalg-Sender)")


def options(environment: Environment) -> Any:
    """The parsed command line (Locust's and Veivalg's options)."""
    assert environment.parsed_options is not None, "run through the locust command"
    return environment.parsed_options


class Run:
    """What the users of one run share: when it started, whether it is ending, and who is done."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.ending = Event()
        self.numbers = itertools.count()
        self.done = 0

    def begin(self) -> None:
        self.start = time.monotonic()
        self.ending.clear()

    def pause(self, seconds: float) -> None:
        """A gevent sleep that the end of the run cuts short."""
        self.ending.wait(seconds)

    def user_done(self, environment: Environment) -> None:
        """A user held all its conversations; after the last one the run ends without waiting for -t."""
        self.done += 1
        parsed = options(environment)
        everyone = parsed.headless and parsed.num_users and self.done >= parsed.num_users
        if everyone and environment.runner and not self.ending.is_set():  # once ending, Locust quits by itself
            gevent.spawn(environment.runner.quit)


RUN = Run()


@events.test_start.add_listener
def on_test_start(**_kwargs: Any) -> None:
    RUN.begin()


@events.test_stopping.add_listener
def on_test_stopping(**_kwargs: Any) -> None:
    """No new message after the run time; a message on its way gets its answer (--stop-timeout)."""
    RUN.ending.set()


@events.quitting.add_listener
def on_quitting(environment: Environment, **_kwargs: Any) -> None:
    """An exception in a user is a fault of this file: exit code 3 (failed answers are data, not faults)."""
    if environment.runner is not None and environment.runner.exceptions:
        environment.process_exit_code = 3


def record(path: str, turn: Turn) -> None:
    """Append one turn to the turns file (a whole line at a time: greenlets do not interleave it)."""
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(asdict(turn), ensure_ascii=False) + "\n")


WIDGET_API = "/chat/api/"


def widget_conversation_id(token: str) -> str:
    """The conversation id a widget token carries (signed, not secret: readable without the key)."""
    from itsdangerous import URLSafeTimedSerializer

    from bot.web.chat.tokens import SALT

    return str(URLSafeTimedSerializer("-", salt=SALT).loads_unsafe(token)[1])


def widget_answer(body: Any) -> Any:
    """The gateway's answer as Rasa's REST channel gives it: the bot's messages, each with text and buttons."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return body
    return [{"text": m.get("text"), "buttons": m.get("buttons") or []}
            for m in body["messages"] if isinstance(m, dict) and m.get("author") == "bot"]


def failure_kind(error: Exception) -> str:
    """A request that got no answer: a timeout, or the connection's error by name."""
    return "timeout" if isinstance(error, Timeout) else f"connection: {type(error).__name__}"


class ConversationUser(HttpUser):
    """One person: a whole conversation per task, each under a new conversation id."""

    abstract = True
    kind = ""
    wait_time = constant(0)  # the pauses are between the turns, inside the conversation

    def script(self, rng: random.Random) -> list[Step]:
        raise NotImplementedError

    def on_start(self) -> None:
        self.number = next(RUN.numbers)
        self.rng = random.Random(options(self.environment).seed * 100_003 + self.number)
        self.held = 0
        self.token = ""
        headers = os.environ.get(HEADERS_ENV)
        self.client.headers.update(json.loads(headers) if headers is not None else channel_headers())

    @task
    def converse(self) -> None:
        parsed = options(self.environment)
        if RUN.ending.is_set() or (parsed.conversations and self.held >= parsed.conversations):
            raise StopUser
        sender = self.open_widget() if parsed.widget else f"{parsed.sender_prefix}-{self.number:04d}-{self.held}"
        self.held += 1
        try:
            self.hold(sender, self.script(self.rng))
        finally:
            if parsed.conversations and self.held == parsed.conversations:
                RUN.user_done(self.environment)

    def hold(self, sender: str, steps: list[Step]) -> None:
        """A turn, a pause to read and type, the next turn; after an error answer the same message again."""
        # As the bot asks («Prøv igjen om litt»): wait and send it again, at most --retries times, then go on.
        # No new message once the run is ending.
        parsed = options(self.environment)
        think = float(parsed.think)
        last_body: Any = None
        for index, step in enumerate(steps):
            text = pick(step, last_body)
            for attempt in range(parsed.retries + 1):
                if RUN.ending.is_set():
                    return
                turn, body = self.send(sender, index, step, text, last=index == len(steps) - 1)
                record(parsed.turns_file, turn)
                if turn.acknowledged:
                    last_body = body
                    break
                if attempt < parsed.retries:
                    RUN.pause(max(1.0, think))
            if think > 0 and index < len(steps) - 1:
                RUN.pause(self.rng.uniform(0.5 * think, 1.5 * think))

    def open_widget(self) -> str:
        """A new widget conversation (`POST /chat/api/session`); its id, read from the token, is the sender id."""
        response = self.client.post(WIDGET_API + "session", json={"client": "widget"}, name="widget session")
        response.raise_for_status()
        self.token = str(response.json()["token"])
        return widget_conversation_id(self.token)

    def send(self, sender: str, index: int, step: Step, text: str, last: bool) -> tuple[Turn, Any]:
        """POST one message; a non-200, an empty answer or «noe gikk galt» is a failure in Locust's report."""
        parsed = options(self.environment)
        began = time.monotonic()
        body: Any = None
        if parsed.widget:
            path, payload, headers = WIDGET_API + "message", {"token": self.token, "text": text}, {}
        else:
            path, payload = parsed.webhook_path, {"sender": sender, "message": text}
            headers = {} if parsed.no_routing_header else {SENDER_HEADER: sender}
        with self.client.post(
            path, json=payload, headers=headers,
            name=f"{self.kind} {index + 1:02d} {step.name}", timeout=parsed.answer_timeout, catch_response=True,
        ) as response:
            if response.error is not None:
                error = failure_kind(response.error)
            else:
                try:
                    body = response.json()
                except ValueError:
                    body = None
                if parsed.widget:
                    body = widget_answer(body)
                error = classify(response.status_code, body)
            if error:
                response.failure(error)
            else:
                response.success()
            upstream = response.headers.get(UPSTREAM_HEADER, "")
        turn = Turn(
            sender=sender, index=index, text=text, started=began - RUN.start, seconds=time.monotonic() - began,
            error=error, unexpected=not error and bool(step.expect) and step.expect not in reply_text(body),
            upstream=upstream, consent=step.consent, last=last,
        )
        return turn, body


class GuidanceUser(ConversationUser):
    """Greets, says yes to storing, goes through «Meg i kontekst» with an occupation question, «min plan», rates."""

    weight = 3
    kind = "guidance"

    def script(self, rng: random.Random) -> list[Step]:
        return conversation(rng)


class HandoverUser(ConversationUser):
    """Asks about occupations, then for a person: answers the handover questions, gets a code, rates."""

    weight = 1
    kind = "handover"

    def script(self, rng: random.Random) -> list[Step]:
        return handover_conversation(rng)


class MoodbotUser(ConversationUser):
    """Talks to the stock `rasa init` bot (bare Rasa in bench/throughput.py); runs only when named."""

    weight = 1
    kind = "moodbot"

    def script(self, rng: random.Random) -> list[Step]:
        return moodbot_conversation()


@events.init.add_listener
def only_named_moodbot(environment: Environment, **_kwargs: Any) -> None:
    """Without user classes named, Locust would run every class here: leave the moodbot's out then."""
    named = getattr(environment.parsed_options, "user_classes", None) or []
    if MoodbotUser.__name__ not in named and len(environment.user_classes) > 1:
        environment.user_classes[:] = [u for u in environment.user_classes if u is not MoodbotUser]
