"""`veivalg chat`: the kiosk terminal client of the chat gateway, full-screen or line by line (`--plain`).

It talks only to the web process (`/chat/api/…`), so a counsellor's messages during a handover arrive
too. Nothing is written to disk: no history file, no log of messages. After the idle time the screen
is cleared, the conversation is ended on the server and the next user starts afresh.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import queue
import select
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

import httpx

from bot.buttons import numbered

WELCOME = "Velkommen til Veivalg. Skriv hei for å begynne."
HELP = "Skriv nummeret eller en melding. Ctrl-C avslutter."
TITLE = "Veivalg – en chatbot for jobb og skole"
TYPING = "Veivalg skriver …"
WARNING = "Er du der? Samtalen slettes om {seconds} sekunder. Trykk en tast for å fortsette."
PLAIN_WARNING = "Er du der? Samtalen slettes snart. Trykk Enter for å fortsette."
WIPED = "Samtalen ble slettet fordi ingen skrev på en stund."
GONE = "Samtalen ble avsluttet. Skriv hei for å begynne på nytt."
LOST = "Mistet kontakten med Veivalg. Prøver igjen …"
OFFLINE = "Får ikke kontakt med Veivalg. Prøv igjen om litt, eller si fra til en ansatt."
NO_GATEWAY = "Får ikke kontakt med Veivalg på {url}.\nStart Veivalg med «make run», og prøv igjen."
GOODBYE = "Ha det bra!"
LABELS = {"user": "Du", "bot": "Veivalg", "counsellor": "Karriereveileder"}
QUIT_WORDS = {"/avslutt", "/quit", "/exit"}
POLL_WAIT_SECONDS = 25


class GatewayUnavailable(RuntimeError):
    """The web process does not answer."""


class SessionGone(RuntimeError):
    """The gateway no longer knows the conversation (ended, idle too long, or the server restarted)."""


class MessageRefused(RuntimeError):
    """The gateway refused a message (too long, empty); the text says why, in Norwegian."""


class GatewayClient:
    """The terminal's HTTP connection to the chat gateway."""

    def __init__(self, server: str, timeout: float = 60.0) -> None:
        self.server = server.rstrip("/")
        timeouts = httpx.Timeout(timeout, connect=5.0)
        self._send_http = httpx.Client(timeout=timeouts, trust_env=False)
        self._poll_http = httpx.Client(timeout=httpx.Timeout(POLL_WAIT_SECONDS + 15.0, connect=5.0), trust_env=False)

    def _post(self, path: str, body: dict[str, Any]) -> httpx.Response:
        try:
            return self._send_http.post(self.server + path, json=body)
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(str(exc)) from exc

    def start(self) -> tuple[str, int]:
        """A new conversation: its token and the server's idle time in seconds."""
        response = self._post("/chat/api/session", {"client": "terminal"})
        if response.status_code != 200:
            raise GatewayUnavailable(f"session: HTTP {response.status_code}")
        body = response.json()
        return str(body["token"]), int(body.get("idle_seconds") or 600)

    def send(self, token: str, text: str) -> list[dict[str, Any]]:
        """Send one message; the logged messages of this turn (the user's and the bot's)."""
        response = self._post("/chat/api/message", {"token": token, "text": text})
        if response.status_code == 403:
            raise SessionGone()
        try:
            body = response.json()
        except ValueError as exc:
            raise GatewayUnavailable(f"message: HTTP {response.status_code}") from exc
        if response.status_code != 200:
            raise MessageRefused(str(body.get("message") or OFFLINE))
        return list(body.get("messages") or [])

    def poll(self, token: str, after: int, wait: int = POLL_WAIT_SECONDS) -> list[dict[str, Any]]:
        """Messages after `after`, waiting up to `wait` seconds for new ones."""
        try:
            response = self._poll_http.get(
                self.server + "/chat/api/poll", params={"token": token, "after": after, "wait": wait}
            )
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(str(exc)) from exc
        if response.status_code == 403:
            raise SessionGone()
        if response.status_code != 200:
            raise GatewayUnavailable(f"poll: HTTP {response.status_code}")
        return list(response.json().get("messages") or [])

    def end(self, token: str) -> None:
        """Forget the conversation on the server; a failure is harmless (it expires anyway)."""
        with contextlib.suppress(GatewayUnavailable):
            self._post("/chat/api/end", {"token": token})

    def close(self) -> None:
        """Close the connections."""
        self._send_http.close()
        self._poll_http.close()


class Transcript:
    """The messages of the current conversation, by sequence number; safe to use from several threads."""

    def __init__(self) -> None:
        self._messages: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def add(self, messages: Iterable[Mapping[str, Any]]) -> bool:
        """Add messages not seen before; True when something was new."""
        new = False
        with self._lock:
            for message in messages:
                seq = message.get("seq")
                if isinstance(seq, int) and seq not in self._messages:
                    self._messages[seq] = dict(message)
                    new = True
        return new

    def ordered(self) -> list[dict[str, Any]]:
        """All messages, oldest first."""
        with self._lock:
            return [self._messages[seq] for seq in sorted(self._messages)]

    def complete_until(self) -> int:
        """The highest n such that messages 1..n are all here (what to poll after)."""
        with self._lock:
            n = 0
            while n + 1 in self._messages:
                n += 1
            return n

    def buttons(self) -> list[dict[str, Any]]:
        """The buttons of the bot's latest message: what a typed number picks."""
        for message in reversed(self.ordered()):
            if message.get("author") == "bot":
                return list(message.get("buttons") or [])
        return []

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._messages.clear()


@dataclass(frozen=True)
class Line:
    """One screen line: the label part (styled by author) and the rest."""

    label: str
    text: str
    author: str = ""
    button: int | None = None


def render(messages: Iterable[Mapping[str, Any]], width: int) -> list[Line]:
    """Messages as wrapped lines labelled «Veivalg:», «Karriereveileder:» or «Du:», with numbered buttons."""
    width = max(width, 20)
    lines: list[Line] = []
    for message in messages:
        author = str(message.get("author") or "bot")
        label = f"{message.get('author_label') or LABELS.get(author, 'Veivalg')}: "
        if lines:
            lines.append(Line("", ""))
        first = True
        for paragraph in str(message.get("text") or "").split("\n"):
            if first:
                wrapped = textwrap.wrap(label + paragraph, width, subsequent_indent="  ") or [label]
                lines.append(Line(label, wrapped[0][len(label) :], author))
                lines.extend(Line("", rest, author) for rest in wrapped[1:])
                first = False
            else:
                wrapped = textwrap.wrap(paragraph, width, initial_indent="  ", subsequent_indent="  ") or [""]
                lines.extend(Line("", rest, author) for rest in wrapped)
        for number, title in enumerate(numbered(message.get("buttons") or [])):
            wrapped = textwrap.wrap(title, width - 3, subsequent_indent="   ")
            lines.extend(Line("", "   " + part, author, number) for part in wrapped)
    return lines


def plain_text(lines: Iterable[Line]) -> list[str]:
    """Rendered lines as plain strings."""
    return [line.label + line.text for line in lines]


def quiet_http_logging() -> None:
    """httpx logs every request at INFO; on a kiosk screen that would be noise."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


class Conversation:
    """The state both front ends share: the session token, the transcript and the idle clock."""

    def __init__(self, client: GatewayClient, token: str | None, idle_seconds: float) -> None:
        self.client = client
        self.token = token
        self.idle_seconds = max(3.0, float(idle_seconds))
        self.transcript = Transcript()
        self.generation = 0  # bumped at every wipe, so late answers for the old user are dropped
        self.last_activity = time.monotonic()
        self.dirty = False
        self.lock = threading.Lock()

    @property
    def warn_before(self) -> float:
        """How many seconds before the wipe the warning shows."""
        return float(min(30, math.floor(self.idle_seconds / 2)))

    def activity(self) -> None:
        """The user did something."""
        self.last_activity = time.monotonic()

    def idle_for(self) -> float:
        """Seconds since the user last did something."""
        return time.monotonic() - self.last_activity

    def ensure_token(self) -> str:
        """The current conversation's token, starting a new conversation when there is none."""
        with self.lock:
            if self.token is None:
                self.token, _ = self.client.start()
            return self.token

    def send(self, text: str) -> list[dict[str, Any]]:
        """Send a message (in a new conversation when the old one is gone) and add the answers."""
        generation = self.generation
        try:
            messages = self.client.send(self.ensure_token(), text)
        except SessionGone:
            with self.lock:
                self.token = None
            messages = self.client.send(self.ensure_token(), text)
        if generation == self.generation:
            self.transcript.add(messages)
        return messages

    def wipe(self) -> None:
        """End the conversation on the server and forget everything here."""
        with self.lock:
            old, self.token = self.token, None
            self.generation += 1
            self.dirty = False
        self.transcript.clear()
        if old:
            threading.Thread(target=self.client.end, args=(old,), daemon=True).start()

    def poll_forever(
        self, on_new: Callable[[], None], on_status: Callable[[str | None], None], stop: threading.Event
    ) -> None:
        """Background loop: fetch new messages (the bot's and a counsellor's) and report them."""
        lost = False
        while not stop.is_set():
            token, generation = self.token, self.generation
            if token is None:
                stop.wait(0.2)
                continue
            try:
                messages = self.client.poll(token, self.transcript.complete_until())
            except SessionGone:
                with self.lock:
                    if self.token == token:
                        self.token = None
                continue
            except GatewayUnavailable:
                if not lost:
                    on_status(LOST)
                lost = True
                stop.wait(2.0)
                continue
            if lost:
                on_status(None)
                lost = False
            if generation == self.generation and self.transcript.add(messages):
                on_new()


class FullScreenChat:
    """The kiosk screen: messages on top, a status line, and the input line at the bottom."""

    def __init__(self, conversation: Conversation) -> None:
        from prompt_toolkit.application import Application
        from prompt_toolkit.data_structures import Point
        from prompt_toolkit.filters import Condition
        from prompt_toolkit.formatted_text import StyleAndTextTuples
        from prompt_toolkit.history import InMemoryHistory
        from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
        from prompt_toolkit.layout import HSplit, Layout, Window
        from prompt_toolkit.layout.controls import FormattedTextControl
        from prompt_toolkit.layout.dimension import Dimension
        from prompt_toolkit.styles import Style
        from prompt_toolkit.widgets import TextArea

        self.conversation = conversation
        self.status: str | None = None
        self.notice: tuple[str, ...] = (WELCOME,)
        self.selected: int | None = None
        self.scroll = 0
        self.warned = False
        self.stop = threading.Event()
        self.outbox: queue.Queue[tuple[str, int]] = queue.Queue()
        self._history = InMemoryHistory
        self._lines: list[Line] = []

        def messages_text() -> StyleAndTextTuples:
            fragments: StyleAndTextTuples = []
            for index, line in enumerate(self._screen_lines()):
                if index:
                    fragments.append(("", "\n"))
                if line.button is not None and line.button == self.selected:
                    fragments.append(("class:selected", " ▶" + line.text[2:]))
                    continue
                fragments.append(("", " "))
                if line.label:
                    fragments.append((f"class:label.{line.author}", line.label))
                fragments.append(("class:notice" if not line.author else "", line.text))
            return fragments

        def cursor() -> Point:
            return Point(0, max(0, len(self._lines) - 1 - self.scroll))

        self.input = TextArea(
            prompt="> ", multiline=False, wrap_lines=True, history=InMemoryHistory(),
            accept_handler=self._accept, height=Dimension(min=1, max=3),
        )
        bindings = KeyBindings()
        has_choices = Condition(lambda: bool(self.conversation.transcript.buttons()) and not self.input.text)

        @bindings.add("c-c")
        @bindings.add("c-d")
        def _quit(event: KeyPressEvent) -> None:
            event.app.exit(result=0)

        @bindings.add("up", filter=has_choices)
        def _up(event: KeyPressEvent) -> None:
            count = len(self.conversation.transcript.buttons())
            self.selected = count - 1 if self.selected is None else max(0, self.selected - 1)

        @bindings.add("down", filter=has_choices)
        def _down(event: KeyPressEvent) -> None:
            count = len(self.conversation.transcript.buttons())
            self.selected = 0 if self.selected is None else min(count - 1, self.selected + 1)

        @bindings.add("pageup")
        def _page_up(event: KeyPressEvent) -> None:
            self.scroll = min(self.scroll + 10, max(0, len(self._lines) - 1))

        @bindings.add("pagedown")
        def _page_down(event: KeyPressEvent) -> None:
            self.scroll = max(0, self.scroll - 10)

        self.application: Application[int] = Application(
            layout=Layout(
                HSplit(
                    [
                        Window(FormattedTextControl(" " + TITLE), height=1, style="class:title"),
                        Window(
                            FormattedTextControl(messages_text, get_cursor_position=cursor, focusable=False),
                            wrap_lines=False, always_hide_cursor=True,
                        ),
                        Window(height=1, char="─", style="class:line"),
                        Window(
                            FormattedTextControl(lambda: [("class:status", " " + (self.status or HELP))]),
                            height=Dimension(min=1, max=2), wrap_lines=True,
                        ),
                        self.input,
                    ]
                ),
                focused_element=self.input,
            ),
            key_bindings=bindings,
            full_screen=True,
            mouse_support=False,
            style=Style.from_dict(
                {
                    "title": "reverse bold",
                    "label.bot": "bold",
                    "label.user": "bold",
                    "label.counsellor": "bold reverse",
                    "selected": "reverse",
                    "status": "bold",
                    "notice": "italic",
                    "line": "",
                }
            ),
        )
        self.application.key_processor.before_key_press += lambda _: self._on_key()

    def _screen_lines(self) -> list[Line]:
        width = self.application.output.get_size().columns - 2
        lines = render(self.conversation.transcript.ordered(), width)
        notice: list[Line] = [Line("", "")]
        for paragraph in self.notice:
            notice.extend(Line("", part) for part in textwrap.wrap(paragraph, width))
            notice.append(Line("", ""))
        lines = notice + lines
        self._lines = lines
        return lines

    def _on_key(self) -> None:
        self.conversation.activity()
        if self.input.text:
            self.conversation.dirty = True
        if self.warned:
            self.warned = False
            self.status = None

    def _accept(self, buffer: Any) -> bool:
        text = buffer.text.strip()
        if not text and self.selected is not None:
            text = str(self.selected + 1)
        if not text:
            return False
        self.selected = None
        self.scroll = 0
        self.notice = ()
        self.conversation.dirty = True
        self.status = TYPING
        self.outbox.put((text, self.conversation.generation))
        return False

    def _send_worker(self) -> None:
        while not self.stop.is_set():
            try:
                text, generation = self.outbox.get(timeout=0.5)
            except queue.Empty:
                continue
            if generation != self.conversation.generation:
                continue
            try:
                self.conversation.send(text)
                status = None
            except MessageRefused as exc:
                status = str(exc)
            except (GatewayUnavailable, SessionGone):
                status = OFFLINE
            if generation == self.conversation.generation and self.outbox.empty():
                self.status = status
            self.application.invalidate()

    async def _watch_idle(self) -> None:
        import asyncio

        while True:
            await asyncio.sleep(0.5)
            conversation = self.conversation
            if not conversation.dirty:
                continue
            idle_for = conversation.idle_for()
            if idle_for >= conversation.idle_seconds:
                self._wipe()
            elif idle_for >= conversation.idle_seconds - conversation.warn_before:
                self.warned = True
                self.status = WARNING.format(seconds=math.ceil(conversation.idle_seconds - idle_for))
            self.application.invalidate()

    def _wipe(self) -> None:
        self.conversation.wipe()
        while not self.outbox.empty():
            self.outbox.get_nowait()
        buffer = self.input.buffer
        buffer.history = self._history()
        buffer.reset()
        self.selected = None
        self.scroll = 0
        self.warned = False
        self.notice = (WIPED, WELCOME)
        self.status = None
        self.application.renderer.clear()

    def _set_status(self, status: str | None) -> None:
        self.status = status
        self.application.invalidate()

    def run(self) -> int:
        """Show the screen until Ctrl-C."""
        poller = threading.Thread(
            target=self.conversation.poll_forever,
            args=(self.application.invalidate, self._set_status, self.stop),
            daemon=True,
        )
        sender = threading.Thread(target=self._send_worker, daemon=True)
        poller.start()
        sender.start()

        def before_run() -> None:
            self.application.create_background_task(self._watch_idle())

        try:
            result = self.application.run(pre_run=before_run)
        finally:
            self.stop.set()
        return int(result or 0)


class PlainChat:
    """Line by line, for screen readers and serial consoles: no full screen, no colours, prompt «> »."""

    def __init__(self, conversation: Conversation, stdin: TextIO, stdout: TextIO, width: int = 78) -> None:
        self.conversation = conversation
        self.stdin = stdin
        self.stdout = stdout
        self.width = width
        self.printed = 0
        self.at_prompt = False
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def write(self, text: str) -> None:
        """Print a line (safe from any thread)."""
        with self.lock:
            if self.at_prompt:
                self.stdout.write("\n")
                self.at_prompt = False
            self.stdout.write(text + "\n")
            self.stdout.flush()

    def prompt(self) -> None:
        """Show «> » and wait for a line."""
        with self.lock:
            self.stdout.write("> ")
            self.stdout.flush()
            self.at_prompt = True

    def show_new(self) -> None:
        """Print the bot's and counsellor's messages not printed yet, in order, without gaps."""
        with self.lock:
            messages = [m for m in self.conversation.transcript.ordered() if m["seq"] > self.printed]
            complete = self.conversation.transcript.complete_until()
            ready = [m for m in messages if m["seq"] <= complete]
            if not ready:
                return
            self.printed = ready[-1]["seq"]
            lines = plain_text(render([m for m in ready if m.get("author") != "user"], self.width))
            if not lines:
                return
            if self.at_prompt:
                self.stdout.write("\n")
            self.stdout.write("\n".join(lines) + "\n")
            if self.at_prompt:
                self.stdout.write("> ")
            self.stdout.flush()

    def show_status(self, status: str | None) -> None:
        """Say when the connection is lost (and nothing when it is back)."""
        if status:
            self.write(status)

    def clear_screen(self) -> None:
        """Clear a real terminal (nothing is sent to pipes or dumb terminals)."""
        if self.stdout.isatty() and os.environ.get("TERM", "dumb") != "dumb":
            self.stdout.write("\x1b[H\x1b[2J\x1b[3J")

    def wipe(self) -> None:
        """Idle too long: end the conversation and start over."""
        self.conversation.wipe()
        with self.lock:
            self.printed = 0
            self.clear_screen()
            self.at_prompt = False
        self.write(WIPED)
        self.write(WELCOME)
        self.write(HELP)

    def read_line(self) -> str | None:
        """The next line, or None at the end of input; watches the idle time while waiting."""
        warned = False
        while True:
            ready, _, _ = select.select([self.stdin], [], [], 0.5)
            if ready:
                line = self.stdin.readline()
                self.conversation.activity()
                return None if line == "" else line
            if not self.conversation.dirty:
                continue
            idle_for = self.conversation.idle_for()
            if idle_for >= self.conversation.idle_seconds:
                self.wipe()
                self.prompt()
                warned = False
            elif not warned and idle_for >= self.conversation.idle_seconds - self.conversation.warn_before:
                self.write(PLAIN_WARNING)
                self.prompt()
                warned = True

    def run(self) -> int:
        """Chat until Ctrl-D, Ctrl-C or «/avslutt»."""
        self.write(WELCOME)
        self.write(HELP)
        poller = threading.Thread(
            target=self.conversation.poll_forever, args=(self.show_new, self.show_status, self.stop), daemon=True
        )
        poller.start()
        try:
            while True:
                self.prompt()
                line = self.read_line()
                with self.lock:
                    if self.at_prompt and not self.stdin.isatty():
                        self.stdout.write("\n")  # a pipe does not echo the line the way a terminal does
                    self.at_prompt = False
                if line is None:
                    return 0
                text = line.strip()
                if not text:
                    continue
                if text.lower() in QUIT_WORDS:
                    self.write(GOODBYE)
                    return 0
                self.conversation.dirty = True
                try:
                    self.conversation.send(text)
                except MessageRefused as exc:
                    self.write(str(exc))
                except (GatewayUnavailable, SessionGone):
                    self.write(OFFLINE)
                self.show_new()
        finally:
            self.stop.set()


def main(server: str, plain: bool = False, idle_seconds: int | None = None) -> int:
    """Entry point for `veivalg chat`: exit code 0 when the user quits, 1 when the gateway is not running."""
    quiet_http_logging()
    client = GatewayClient(server)
    try:
        token, server_idle = client.start()
    except GatewayUnavailable:
        print(NO_GATEWAY.format(url=client.server), file=sys.stderr)
        client.close()
        return 1
    conversation = Conversation(client, token, idle_seconds or server_idle)
    try:
        if plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
            return PlainChat(conversation, sys.stdin, sys.stdout).run()
        return FullScreenChat(conversation).run()
    except KeyboardInterrupt:
        print()
        return 0
    finally:
        if conversation.token:
            client.end(conversation.token)
        client.close()
