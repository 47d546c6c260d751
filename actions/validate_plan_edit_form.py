"""Read which line to change, whether to rewrite or remove it, and the new words."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import AnswerFirstFormValidation
from bot.guidance.plan import plan_lines
from bot.guidance.plan_edit import CANCEL, NOT_NEEDED, REMOVE, choice_of, line_of, new_text_of
from bot.storage.engine import session_factory

CANCELLED = {"plan_line": CANCEL, "plan_edit_choice": CANCEL, "plan_new_text": NOT_NEEDED}


class ValidatePlanEditForm(AnswerFirstFormValidation):
    """Cancelling at any step fills every slot, so the form ends and nothing changes."""

    def name(self) -> str:
        return "validate_plan_edit_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if tracker.get_slot("plan_line") is None and not self._lines(tracker):
            return []  # an empty plan: nothing to ask; action_apply_plan_edit says so
        return domain_slots

    @staticmethod
    def _lines(tracker: Tracker) -> list[Any]:
        with session_factory().begin() as session:
            return plan_lines(tracker.current_slot_values(), session=session)

    def validate_plan_line(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = "" if slot_value is None else str(slot_value)
        lines = self._lines(tracker)
        latest = tracker.latest_message or {}
        typed = str(latest.get("text") or "")
        heard_no = (latest.get("intent") or {}).get("name") == "deny"
        if text == CANCEL and heard_no and typed and not typed.startswith("/"):
            # «onkelen» heard as «nei»: words that only one line contains pick that line, not a cancel.
            picked = line_of(typed, lines)
            if picked:
                return {"plan_line": picked.ref}
        if text == CANCEL or choice_of(text) == CANCEL:
            return dict(CANCELLED)
        if any(known.ref == text for known in lines):
            return {"plan_line": text}  # already chosen: the form was paused and taken up again
        line = line_of(text, lines)
        return {"plan_line": line.ref if line else None}

    def validate_plan_edit_choice(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        choice = choice_of("" if slot_value is None else str(slot_value))
        if choice == CANCEL:
            return dict(CANCELLED)
        if choice == REMOVE:
            return {"plan_edit_choice": REMOVE, "plan_new_text": NOT_NEEDED}
        return {"plan_edit_choice": choice}

    def validate_plan_new_text(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = "" if slot_value is None else str(slot_value)
        if text == CANCEL:
            return dict(CANCELLED)
        return {"plan_new_text": new_text_of(text)}
