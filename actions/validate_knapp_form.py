"""Keep each reflection answer, acknowledge it, and handle «vet ikke», skipping and side questions."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.action_occupation_question import question_from
from bot import knapper
from bot.catalogue.dialogue import INTENT_TOPICS, answer
from bot.db import session_factory
from bot.plan import plan_messages

SIDE_QUESTION_CONFIDENCE = 0.8


def _intent(tracker: Tracker) -> tuple[str, float]:
    intent = tracker.latest_message.get("intent") or {}
    return str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)


class ValidateKnappForm(FormValidationAction):
    """One slot, filled once per question: the answers gather in `knapp_answers`."""

    def name(self) -> str:
        return "validate_knapp_form"

    def validate_knapp_answer(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        key = tracker.get_slot("current_knapp") or "self_in_context"
        answers = tracker.get_slot("knapp_answers")
        step = knapper.answered_steps(answers, key)
        value = "" if slot_value is None else str(slot_value)
        intent, confidence = _intent(tracker)
        text = str(tracker.latest_message.get("text") or "")

        chosen = knapper.KNAPP_INTENTS.get(intent) if text.startswith("/") else knapper.named(text)
        if chosen:  # a knapp's button, or its name typed: switch (or start) that knapp
            if chosen != key:
                dispatcher.utter_message(text=knapper.knapp(chosen)["explanation"])
            return {"knapp_answer": None, "current_knapp": chosen, "knapp_dont_know": False}
        if slot_value is None:
            # The knapp has just begun (its start clears the slot): nothing was answered yet, so ask.
            return {"knapp_answer": None}
        if (
            intent in INTENT_TOPICS
            and confidence >= SIDE_QUESTION_CONFIDENCE
            and self._has_occupation(tracker)
            and (text.startswith("/") or knapper.is_question(text))
        ):
            return self._side_question(dispatcher, tracker)
        if intent == "request_summary" and confidence >= SIDE_QUESTION_CONFIDENCE:
            with session_factory().begin() as session:
                messages = plan_messages(tracker.current_slot_values(), session=session)
            for message in messages:
                dispatcher.utter_message(text=message)
            dispatcher.utter_message(text=knapper.texts()["back_to_question"])
            return {"knapp_answer": None}
        if value == knapper.DONT_KNOW and not tracker.get_slot("knapp_dont_know"):
            return {"knapp_answer": None, "knapp_dont_know": True}
        if value in (knapper.DONT_KNOW, knapper.SKIP):
            dispatcher.utter_message(text=knapper.texts()["skip_ack"])
            return self._advance(key, knapper.record(answers, key, step, None))
        acknowledgement = knapper.acknowledge(key, step, value)
        if acknowledgement:
            dispatcher.utter_message(text=acknowledgement)
        return self._advance(key, knapper.record(answers, key, step, value))

    @staticmethod
    def _has_occupation(tracker: Tracker) -> bool:
        return any(e.get("entity") == "occupation" for e in tracker.latest_message.get("entities") or [])

    @staticmethod
    def _advance(key: str, answers: dict[str, Any]) -> dict[str, Any]:
        done = knapper.answered_steps(answers, key) >= len(knapper.steps(key))
        return {"knapp_answer": "done" if done else None, "knapp_answers": answers, "knapp_dont_know": False}

    @staticmethod
    def _side_question(dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Answer an occupation question in the middle of a knapp, then go back to the question."""
        with session_factory().begin() as session:
            turn = answer(question_from(tracker), session=session)
        for message in turn.messages:
            if not message.buttons:  # answers only; the menus that follow them would lead away
                dispatcher.utter_message(text=message.text)
        dispatcher.utter_message(text=knapper.texts()["back_to_question"])
        slots = {k: v for k, v in turn.slots.items() if k in ("occupation_slug", "occupations_viewed")}
        return {"knapp_answer": None, **slots}
