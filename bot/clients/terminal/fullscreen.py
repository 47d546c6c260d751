"""The full-screen kiosk front end (prompt_toolkit)."""

from __future__ import annotations

import math
import queue
import textwrap
import threading
from typing import Any

from bot.clients.terminal.conversation import Conversation
from bot.clients.terminal.gateway_client import GatewayUnavailable, MessageRefused, SessionGone
from bot.clients.terminal.texts import HELP, HELP_EN, OFFLINE, TITLE, TITLE_EN, TYPING, WARNING, WELCOME, WIPED
from bot.clients.terminal.transcript import Line, render


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
                        Window(FormattedTextControl(lambda: " " + (TITLE_EN if self._english() else TITLE)), height=1,
                               style="class:title"),
                        Window(
                            FormattedTextControl(messages_text, get_cursor_position=cursor, focusable=False),
                            wrap_lines=False, always_hide_cursor=True,
                        ),
                        Window(height=1, char="─", style="class:line"),
                        Window(
                            FormattedTextControl(lambda: [
                                ("class:status", " " + (self.status or (HELP_EN if self._english() else HELP)))]),
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

    def _english(self) -> bool:
        """The bot writes English now: the title and the help line follow."""
        return self.conversation.transcript.language() == "en"

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
