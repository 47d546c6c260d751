"""Keep each answer of the interest mini-test and ask the next statement until all are answered."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AnswerFirstFormValidation
from bot.catalogue import interests


class ValidateInterestForm(AnswerFirstFormValidation):
    """One slot, filled once per statement: the answers gather in `interest_scores`."""

    def name(self) -> str:
        return "validate_interest_form"

    def validate_interest_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        answer = interests.parse_answer(None if slot_value is None else str(slot_value))
        if answer is None:
            dispatcher.utter_message(text=interests.text("not_understood"))
            return {"interest_answer": None}
        answers = [*(tracker.get_slot("interest_scores") or []), answer]
        done = len(answers) >= interests.statement_count()
        return {"interest_answer": "done" if done else None, "interest_scores": answers}
