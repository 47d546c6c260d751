"""A transcript exported: JSON, CSV for a spreadsheet, plain text for a terminal."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import Any

from bot.clock import LOCAL_TZ
from bot.privacy.transcripts.query import ConversationSummary
from bot.privacy.transcripts.replay import Transcript, Turn

SPEAKERS = {"user": "bruker", "bot": "chatbot", "counsellor": "veileder", "system": "system"}


def _iso(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat()


def summary_as_json(summary: ConversationSummary) -> dict[str, Any]:
    """A conversation summary as plain JSON values."""
    return {
        "sender_id": summary.sender_id,
        "started_at": _iso(summary.started_at),
        "last_at": _iso(summary.last_at),
        "channel": summary.channel,
        "turns": summary.turns,
        "user_messages": summary.user_messages,
        "knapper": list(summary.knapper),
        "handover_requested": summary.handover_requested,
        "urgent": summary.urgent,
        "fallbacks": summary.fallbacks,
        "low_confidence": summary.low_confidence,
        "rating": summary.rating,
    }


def turn_as_json(turn: Turn) -> dict[str, Any]:
    """One transcript line as plain JSON values."""
    return {
        "kind": turn.kind,
        "text": turn.text,
        "timestamp": _iso(turn.timestamp),
        "intent": turn.intent,
        "confidence": turn.confidence,
        "low_confidence": turn.low_confidence,
        "fallback": turn.fallback,
        "buttons": list(turn.buttons),
        "note": turn.note,
        "author": turn.author,
    }


def transcript_as_json(t: Transcript) -> dict[str, Any]:
    """The transcript as a JSON-ready dict: summary, turns and «min plan»."""
    return {"summary": summary_as_json(t.summary), "turns": [turn_as_json(x) for x in t.turns], "plan": t.plan_lines}


CSV_HEADER = ("tidspunkt", "hvem", "tekst", "intensjon", "sikkerhet", "knapper", "merknad")


def _cell(value: str) -> str:
    """Text a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def transcript_as_csv(t: Transcript) -> str:
    """The transcript as CSV (comma-separated, one line per turn, header in Norwegian)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for turn in t.turns:
        writer.writerow(
            [
                _iso(turn.timestamp),
                SPEAKERS[turn.kind],
                _cell(turn.text),
                turn.intent or "",
                "" if turn.confidence is None else f"{turn.confidence:.2f}",
                _cell(" | ".join(turn.buttons)),
                _cell(turn.note or turn.author or ""),
            ]
        )
    return out.getvalue()


def transcript_as_text(t: Transcript) -> str:
    """The transcript as plain text for a terminal, times in Norwegian time."""
    s = t.summary
    lines = [
        f"Samtale {s.sender_id}: startet {s.started_at.astimezone(LOCAL_TZ):%d.%m.%Y %H.%M}, "
        f"sist aktiv {s.last_at.astimezone(LOCAL_TZ):%d.%m.%Y %H.%M}, kanal {s.channel or '–'}, "
        f"{s.user_messages} meldinger fra brukeren",
        "",
    ]
    for turn in t.turns:
        clock = f"{turn.timestamp.astimezone(LOCAL_TZ):%H.%M}"
        if turn.kind == "system":
            lines.append(f"{clock}   -- {turn.note}")
            continue
        who = {"user": "Bruker", "bot": "Veivalg"}.get(turn.kind) or f"{turn.author} (person)"
        extra = ""
        if turn.kind == "user" and turn.intent:
            confidence = "" if turn.confidence is None else f" {turn.confidence:.2f}"
            flags = (" USIKKER" if turn.low_confidence else "") + (" FORSTO IKKE" if turn.fallback else "")
            extra = f"   [{turn.intent}{confidence}{flags}]"
        text = turn.text.replace("\n", "\n" + " " * 9)
        lines.append(f"{clock}   {who}: {text}{extra}")
        if turn.buttons:
            lines.append(" " * 9 + "Knapper: " + " | ".join(turn.buttons))
    if t.plan_lines:
        lines += ["", "Min plan:", *("  " + line for line in t.plan_lines)]
    return "\n".join(lines)
