"""The answer to «tenker du på å ta livet ditt eller skade deg selv?»: care on yes, back to where we were on no."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import forget_form_answer, respond_to_safety
from bot.safety.assessment import CRISIS, THREAT
from bot.safety.response import answer_to_check
from bot.safety.turn import ANSWERED_NO, ASKED, ASKED_AGAIN


class ActionSafetyCheckAnswer(Action):
    """Yes, maybe or crisis words get the crisis answer; no returns to the form; unclear is asked once more."""

    def name(self) -> str:
        return "action_safety_check_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        latest = tracker.latest_message or {}
        level = ((latest.get("safety") or {}).get("level"))
        if level in (CRISIS, THREAT):
            return respond_to_safety(dispatcher, tracker, level)
        answer = answer_to_check(latest.get("text"), (latest.get("intent") or {}).get("name"))
        if answer == "yes":
            return respond_to_safety(dispatcher, tracker, CRISIS)
        resume = "utter_safety_check_resume" if tracker.active_loop.get("name") else "utter_safety_check_open"
        if answer == "no":
            dispatcher.utter_message(response="utter_safety_check_no")
            dispatcher.utter_message(response=resume)
            return [SlotSet("safety_check", ANSWERED_NO), *forget_form_answer(tracker)]
        if tracker.get_slot("safety_check") == ASKED:
            dispatcher.utter_message(response="utter_safety_check_again")
            return [SlotSet("safety_check", ASKED_AGAIN), *forget_form_answer(tracker)]
        dispatcher.utter_message(response="utter_safety_check_unclear")
        dispatcher.utter_message(response=resume)
        return [SlotSet("safety_check", ANSWERED_NO), *forget_form_answer(tracker)]
