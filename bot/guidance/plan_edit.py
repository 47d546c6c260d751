"""Correcting or removing a line of «min plan»: reading the user's choice and which line they mean."""

from __future__ import annotations

import re

from bot.guidance.plan import PlanLine

CANCEL = "avbryt"
CHANGE = "endre"
REMOVE = "fjern"
NOT_NEEDED = "-"
MAX_LINE_CHARS = 300
BUTTON_CHARS = 45

_REMOVE_WORDS = ("fjern", "slett", "ta bort", "tabort", "ta vekk", "vekk", "remove", "delete", "fjerne")
_CHANGE_WORDS = ("endre", "skriv", "rett", "ny", "forandre", "bytt", "change", "edit", "rewrite", "korriger")
_CANCEL_WORDS = ("avbryt", "nei", "nei takk", "ingen", "glem det", "cancel", "no", "stopp")


def choice_of(text: str) -> str | None:
    """«endre», «fjern» or «avbryt» from a button or the user's own words; None when unclear."""
    cleaned = re.sub(r"[^\wæøå ]", " ", text.lower()).strip()
    if cleaned in _CANCEL_WORDS or cleaned.startswith("avbryt"):
        return CANCEL
    if any(word in cleaned for word in _REMOVE_WORDS):
        return REMOVE
    if any(re.search(rf"\b{word}", cleaned) for word in _CHANGE_WORDS):
        return CHANGE
    return None


def line_of(text: str, lines: list[PlanLine]) -> PlanLine | None:
    """The line the user picked: its number, or words that only one line contains."""
    cleaned = text.strip().rstrip(".").lower()
    match = re.fullmatch(r"(?:linje\s*)?(?:nr\.?\s*)?(\d{1,3})", cleaned)
    if match:
        number = int(match.group(1))
        return lines[number - 1] if 1 <= number <= len(lines) else None
    if len(cleaned) >= 4:
        hits = [line for line in lines if cleaned in line.text.lower()]
        if len(hits) == 1:
            return hits[0]
    return None


def line_buttons(lines: list[PlanLine]) -> list[dict[str, str]]:
    """One button per line, numbered, short enough to read; the payload is the number."""
    buttons = []
    for number, line in enumerate(lines, start=1):
        title = line.text if len(line.text) <= BUTTON_CHARS else line.text[: BUTTON_CHARS - 1].rstrip() + "…"
        buttons.append({"title": title, "payload": str(number)})
    return buttons


def new_text_of(text: str) -> str | None:
    """The replacement line in the user's words, trimmed; None when empty."""
    cleaned = " ".join(text.split())
    return cleaned[:MAX_LINE_CHARS] or None
