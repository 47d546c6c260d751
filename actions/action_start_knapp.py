"""Start (or go back to) one of the five karriereknapper."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionStartKnapp(Action):
    """Explain the knapp in plain words the first time; say where we are when coming back."""

    def name(self) -> str:
        return "action_start_knapp"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
        key = knapper.KNAPP_INTENTS.get(intent) or tracker.get_slot("current_knapp") or "self_in_context"
        answers = tracker.get_slot("knapp_answers")
        step = knapper.answered_steps(answers, key)
        if step >= len(knapper.steps(key)):
            answers = knapper.archive(answers, key)
            step = 0
        if step == 0:
            dispatcher.utter_message(text=knapper.knapp(key)["explanation"])
        else:
            dispatcher.utter_message(text=knapper.texts()["continue_knapp"])
        return [
            SlotSet("current_knapp", key),
            SlotSet("knapp_answers", answers),
            SlotSet("knapp_dont_know", False),
            SlotSet("knapp_answer", None),
        ]
