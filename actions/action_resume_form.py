"""Go back to the form a request paused; the rules then run that form again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import interruption


class ActionResumeForm(Action):
    """Set `resuming` to the paused form (the rules start it) or to «nothing» (the rules show the menu)."""

    def name(self) -> str:
        return "action_resume_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        choice = interruption.resume_choice(tracker.get_slot("paused_form"), tracker.active_loop.get("name"))
        asked = ((tracker.latest_message or {}).get("intent") or {}).get("name") == "resume_form"
        if choice != interruption.NOTHING:
            dispatcher.utter_message(response="utter_resuming")
        elif asked:
            dispatcher.utter_message(response="utter_nothing_to_resume")
        return [SlotSet("resuming", choice), SlotSet("paused_form", None)]
