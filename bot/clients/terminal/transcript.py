"""The messages on the kiosk screen, in order, wrapped to the screen's width."""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.clients.terminal.texts import LABELS, LABELS_EN
from bot.text.buttons import numbered


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

    def language(self) -> str:
        """The language the bot wrote in last («en» or «nb»), which the client's own words follow."""
        for message in reversed(self.ordered()):
            if message.get("author") == "bot" and message.get("language") in ("en", "nb"):
                return str(message["language"])
        return "nb"

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
    labels = LABELS
    for message in messages:
        author = str(message.get("author") or "bot")
        if author == "bot" and message.get("language") in ("en", "nb"):
            labels = LABELS_EN if message.get("language") == "en" else LABELS
        given = message.get("author_label")
        own = None if author == "user" or given == LABELS.get(author) else given  # a counsellor's own name stays
        label = f"{own or labels.get(author, 'Veivalg')}: "
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
