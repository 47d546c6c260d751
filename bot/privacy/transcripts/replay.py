"""A stored conversation replayed into a transcript: who said what, with notes on what happened."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.guidance.plan import plan_messages
from bot.privacy.transcripts.query import (
    HANDOVER_INTENT,
    KNAPP_DONE_ACTION,
    LOW_CONFIDENCE,
    ConversationSummary,
    as_utc,
    fallback_user_ids,
    knapp_title,
    loads,
    rating_value,
    store_ready,
    summarise,
)
from bot.safety.assessment import CRISIS, POSSIBLE, THREAT, level_of_message
from bot.storage.rasa_events import events

FORM_NOTES = {
    "knapp_form": ("Spørsmålene i knappen starter", "Spørsmålene i knappen er ferdige"),
    "interest_form": ("Interessetesten starter", "Interessetesten er ferdig"),
    "rating_form": ("Spørsmålet «Var dette nyttig?» starter", "Spørsmålet «Var dette nyttig?» er ferdig"),
}

# What the safety net found in a user's message, as counsellors read it in the transcript.
SAFETY_NOTES = {
    CRISIS: "Krise: brukeren fikk kriseinformasjon, og saken ble merket som haster",
    THREAT: "Trussel: brukeren fikk svar om trusler, og saken ble merket som haster",
    POSSIBLE: "Spurt om krise: brukeren fikk et direkte spørsmål om selvmordstanker",
}
ACTION_NOTES = {
    "action_stop_knapp": "Knappen stoppet: brukeren ville snakke om noe annet",
    "action_show_plan": "Brukeren så «min plan»",
    "action_interest_result": "Resultatet av interessetesten ble vist",
}


Kind = Literal["user", "bot", "counsellor", "system"]


@dataclass(frozen=True)
class Turn:
    """One line of a transcript: a message, or a short system line about what happened."""

    kind: Kind
    text: str
    timestamp: datetime
    intent: str | None = None
    confidence: float | None = None
    buttons: tuple[str, ...] = ()
    note: str | None = None
    author: str | None = None
    fallback: bool = False
    chosen_button: bool = False

    @property
    def low_confidence(self) -> bool:
        """A user message the model was unsure about."""
        return self.kind == "user" and self.confidence is not None and self.confidence < LOW_CONFIDENCE


@dataclass(frozen=True)
class Transcript:
    """A whole stored conversation: its summary, every turn and «min plan»."""

    summary: ConversationSummary
    turns: list[Turn]
    plan_lines: list[str] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)


def _buttons(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = (data.get("data") or {}).get("buttons") or []
    return [b for b in found if isinstance(b, dict)]


class _Replay:
    """Walks the events of one conversation in order and turns them into transcript lines."""

    def __init__(self, fallback_ids: set[int]) -> None:
        self.turns: list[Turn] = []
        self.slots: dict[str, Any] = {}
        self.fallback_ids = fallback_ids
        self.last_buttons: list[dict[str, Any]] = []
        self.known_payloads: dict[str, str] = {}
        self.current_knapp: str | None = None
        self.started_knapper: set[str] = set()
        self.active_form: str | None = None
        self.sessions = 0
        self.awaiting_knapp = False

    def system(self, note: str, when: datetime) -> None:
        self.turns.append(Turn(kind="system", text="", timestamp=when, note=note))

    def apply(self, row_id: int, type_name: str, data: dict[str, Any], when: datetime) -> None:
        handler = getattr(self, f"_on_{type_name}", None)
        if handler is not None:
            handler(row_id, data, when)

    def _on_user(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        intent = (data.get("parse_data") or {}).get("intent") or {}
        text = str(data.get("text") or "")
        chosen = next((b for b in self.last_buttons if text and b.get("payload") == text), None)
        if chosen is None and text.startswith("/") and text in self.known_payloads:
            chosen = {"title": self.known_payloads[text]}
        confidence = intent.get("confidence")
        self.turns.append(
            Turn(
                kind="user",
                text=str(chosen.get("title")) if chosen else text,
                timestamp=when,
                intent=intent.get("name"),
                confidence=float(confidence) if isinstance(confidence, (int, float)) else None,
                fallback=row_id in self.fallback_ids,
                chosen_button=chosen is not None,
            )
        )
        level = level_of_message({"text": text, **(data.get("parse_data") or {})}) if text else None
        if level in SAFETY_NOTES:
            self.system(SAFETY_NOTES[level], when)
        elif intent.get("name") == HANDOVER_INTENT:
            self.system("Brukeren ba om å snakke med en veileder", when)

    def _on_bot(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        meta = data.get("metadata") or {}
        buttons = _buttons(data)
        self.last_buttons = buttons
        for button in buttons:
            if isinstance(button.get("payload"), str) and button.get("title"):
                self.known_payloads[button["payload"]] = str(button["title"])
        is_person = meta.get("author") == "counsellor"
        self.turns.append(
            Turn(
                kind="counsellor" if is_person else "bot",
                text=str(data.get("text") or ""),
                timestamp=when,
                buttons=tuple(str(b.get("title") or "") for b in buttons),
                author=str(meta.get("author_role") or "Veileder") if is_person else None,
            )
        )

    def _on_action(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        name = str(data.get("name") or "")
        if name == "action_start_knapp":
            self.awaiting_knapp = True
        elif name == KNAPP_DONE_ACTION and self.current_knapp:
            self.system(f"Knapp: {knapp_title(self.current_knapp)} fullført", when)
        elif "handoff" in name or "handover" in name:
            self.system("Samtalen ble sendt videre til en veileder", when)
        elif name in ACTION_NOTES:
            self.system(ACTION_NOTES[name], when)

    def _on_slot(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        name, value = str(data.get("name") or ""), data.get("value")
        self.slots[name] = value
        if name == "current_knapp" and isinstance(value, str) and value:
            if self.awaiting_knapp or value != self.current_knapp:
                again = value in self.started_knapper
                self.system(f"Knapp: {knapp_title(value)} {'tatt opp igjen' if again else 'startet'}", when)
            self.current_knapp = value
            self.started_knapper.add(value)
            self.awaiting_knapp = False
        elif name == "urgent" and value is True:
            self.system("Merket som haster", when)
        elif name == "rating" and value is not None and rating_value(value):
            self.system(f"Vurdering: {rating_value(value)} av 5", when)
        elif name == "consent_to_store" and value is True:
            self.system("Brukeren sa ja til at samtalen lagres", when)

    def _on_active_loop(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        name = data.get("name")
        if name:
            self.active_form = str(name)
            self.system(FORM_NOTES.get(self.active_form, (f"Skjema {name} starter", ""))[0], when)
        elif self.active_form:
            self.system(FORM_NOTES.get(self.active_form, ("", "Skjema ferdig"))[1], when)
            self.active_form = None

    def _on_pause(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.system("Samtalen satt på pause (veileder tok over)", when)

    def _on_resume(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.system("Chatboten svarer igjen", when)

    def _reset(self) -> None:
        self.slots = {}
        self.current_knapp = None
        self.active_form = None

    def _on_session_started(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.sessions += 1
        self._reset()
        if self.sessions > 1:
            self.system("Ny økt startet", when)

    def _on_restart(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self._reset()
        self.system("Samtalen startet på nytt", when)

    def _on_reset_slots(self, row_id: int, data: dict[str, Any], when: datetime) -> None:
        self.slots = {}


def load_transcript(sender_id: str, *, session: Session, with_plan: bool = True) -> Transcript | None:
    """The whole stored conversation, or None when nothing is stored under this id.

    With `with_plan`, «min plan» is built from the slots as Rasa would see them now; the session must
    then also reach Veivalg's database (see `session_factory`).
    """
    if not store_ready(session=session):
        return None
    rows = session.execute(
        select(events.c.id, events.c.type_name, events.c.timestamp, events.c.data)
        .where(events.c.sender_id == sender_id)
        .order_by(events.c.id)
    ).all()
    if not rows:
        return None
    found = summarise(session, [sender_id])
    replay = _Replay(fallback_user_ids(session, [sender_id]).get(sender_id, set()))
    for row_id, type_name, timestamp, raw in rows:
        replay.apply(row_id, type_name, loads(raw), as_utc(timestamp))
    plan_lines: list[str] = []
    if with_plan:
        plan_lines = [line for message in plan_messages(replay.slots, session=session) for line in message.split("\n")]
    return Transcript(summary=found[0], turns=replay.turns, plan_lines=plan_lines, slots=replay.slots)
