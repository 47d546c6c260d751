"""What a counsellor may read in a live handover: only what the user agreed to, and never personal data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

TAKEN_OVER_NOTE = "Veileder tok over"
# Shown instead of the earlier conversation when the user did not agree to it being read.
HIDDEN_NOTE = "Det som ble skrevet før du tok over, vises ikke: brukeren sa nei til å lagre eller dele samtalen."


def visible_lines(
    lines: Sequence[dict[str, Any]], *, stored: bool, shared: bool, redact: Callable[[str], str] | None = None
) -> list[dict[str, Any]]:
    """The whole conversation if the user agreed to storing and sharing; otherwise only from the takeover on.

    What users and counsellors wrote is always redacted; the bot's own texts are not.
    """
    if redact is None:
        from bot.privacy.redaction import redact_text

        redact = redact_text
    start = 0
    if not (stored and shared):
        takeovers = [i for i, line in enumerate(lines) if _is_takeover(line)]
        start = takeovers[-1] if takeovers else len(lines)
    shown = [dict(line) for line in lines[start:]]
    for line in shown:
        if line.get("author") in ("user", "counsellor"):
            line["text"] = redact(str(line.get("text") or ""))
    if start > 0:
        shown.insert(0, {"author": "system", "text": HIDDEN_NOTE, "ts": None})
    return shown


def _is_takeover(line: dict[str, Any]) -> bool:
    return (line.get("author"), line.get("text")) == ("system", TAKEN_OVER_NOTE)


def consented_to_storing(events: Sequence[dict[str, Any]]) -> bool:
    """The user's latest answer to «Vil du at jeg tar vare på samtalen?» in a list of Rasa events."""
    answer = False
    for event in events:
        if event.get("event") == "slot" and event.get("name") == "consent_to_store":
            answer = event.get("value") is True
    return answer
