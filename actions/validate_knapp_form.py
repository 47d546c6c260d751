"""Keep each reflection answer, acknowledge it, and handle «vet ikke», skipping and side questions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AnswerFirstFormValidation, question_from
from bot.catalogue.dialogue import Message, answer
from bot.guidance import knapp_turn, knapper
from bot.guidance.plan import plan_messages
from bot.storage.engine import session_factory


class ValidateKnappForm(AnswerFirstFormValidation):
    """One slot, filled once per question: the answers gather in `knapp_answers` (bot/guidance/knapp_turn.py)."""

    def name(self) -> str:
        return "validate_knapp_form"

    def validate_knapp_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        key = tracker.get_slot("current_knapp") or "self_in_context"
        intent = tracker.latest_message.get("intent") or {}
        message = knapp_turn.KnappMessage(
            text=str(tracker.latest_message.get("text") or ""),
            value=None if slot_value is None else str(slot_value),
            intent=str(intent.get("name") or ""),
            confidence=float(intent.get("confidence") or 0.0),
            has_occupation=any(e.get("entity") == "occupation" for e in tracker.latest_message.get("entities") or []),
        )
        dont_know_before = bool(tracker.get_slot("knapp_dont_know"))
        turn = knapp_turn.decide(key, tracker.get_slot("knapp_answers"), message, dont_know_before)
        if turn.kind == knapp_turn.SWITCH and turn.knapp:
            dispatcher.utter_message(text=knapper.knapp(turn.knapp)["explanation"])
        elif turn.kind == knapp_turn.SIDE_QUESTION:
            return {**turn.slots, **self._side_question(dispatcher, tracker)}
        elif turn.kind == knapp_turn.SHOW_PLAN:
            with session_factory().begin() as session:
                for text in plan_messages(tracker.current_slot_values(), session=session):
                    dispatcher.utter_message(text=text)
            dispatcher.utter_message(text=knapper.texts()["back_to_question"])
        if turn.acknowledgement:
            dispatcher.utter_message(text=turn.acknowledgement)
        return turn.slots

    @staticmethod
    def _side_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Answer an occupation question in the middle of a knapp, then go back to the question."""
        with session_factory().begin() as session:
            turn = answer(question_from(tracker), session=session)
        answers = [message for message in turn.messages if not message.buttons]  # menus would lead away
        if not answers and turn.messages:  # a choice between occupations: named in words, asked about later
            first = turn.messages[0]
            titles = ", ".join(str(button["title"]) for button in first.buttons)
            answers = [Message(text=f"{first.text} {titles}." if titles else first.text)]
        for message in answers:
            dispatcher.utter_message(text=message.text)
        dispatcher.utter_message(text=knapper.texts()["back_to_question"])
        return {k: v for k, v in turn.slots.items() if k in ("occupation_slug", "occupations_viewed")}
