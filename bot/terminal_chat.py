"""A plain terminal chat against the running Rasa server's REST channel."""

from __future__ import annotations

import shutil
import sys
import textwrap
import uuid
from collections.abc import Callable
from typing import Any

import requests

from bot.buttons import numbered, select_button

QUIT_WORDS = {"/avslutt", "/quit", "/exit"}


def send(url: str, sender: str, text: str, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Send one message; return the bot's messages."""
    response = requests.post(url, json={"sender": sender, "message": text}, timeout=timeout)
    response.raise_for_status()
    messages = response.json()
    return messages if isinstance(messages, list) else []


def render(messages: list[dict[str, Any]], width: int) -> list[str]:
    """The bot's messages as wrapped lines, with numbered buttons."""
    lines: list[str] = []
    for message in messages:
        if message.get("text"):
            for number, paragraph in enumerate(str(message["text"]).split("\n")):
                first = "Veivalg: " if number == 0 else "  "
                lines.extend(textwrap.wrap(first + paragraph, width, subsequent_indent="  ") or [""])
        lines.extend(f"   {line}" for line in numbered(message.get("buttons") or []))
    return lines


def chat(
    url: str,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    sender: str | None = None,
) -> int:
    """Run the conversation until the user quits or input ends."""
    sender = sender or f"terminal-{uuid.uuid4().hex[:12]}"
    width = min(shutil.get_terminal_size((80, 24)).columns, 100) - 2
    write("Veivalg (skriv /avslutt for å slutte). Skriv tallet for å velge en knapp.")
    buttons: list[dict[str, Any]] = []
    text = "hei"
    while True:
        payload = select_button(text, buttons)
        try:
            messages = send(url, sender, payload or text)
        except requests.RequestException:
            write("Får ikke kontakt med Veivalg nå. Prøv igjen om litt, eller spør en ansatt.")
            messages = []
        for line in render(messages, width):
            write(line)
        buttons = next((m["buttons"] for m in reversed(messages) if m.get("buttons")), [])
        try:
            text = read("> ")
        except (EOFError, KeyboardInterrupt):
            write("")
            return 0
        if text.strip().lower() in QUIT_WORDS:
            write("Ha det bra!")
            return 0


def main(url: str) -> int:
    """Entry point for `veivalg chat`."""
    try:
        return chat(url)
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return 0
