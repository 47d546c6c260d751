"""The line-by-line front end, for screen readers and serial consoles (`--plain`)."""

from __future__ import annotations

import os
import select
import threading
from typing import TextIO

from bot.clients.terminal.conversation import Conversation
from bot.clients.terminal.gateway_client import GatewayUnavailable, MessageRefused, SessionGone
from bot.clients.terminal.texts import GOODBYE, HELP, OFFLINE, PLAIN_WARNING, QUIT_WORDS, WELCOME, WIPED
from bot.clients.terminal.transcript import plain_text, render


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
