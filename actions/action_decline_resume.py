"""No to going back: the paused form is let go, and what was said is kept."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import interruption


class ActionDeclineResume(Action):
    """Set `resuming` to «declined» (the rules show the menu) or «nothing» (the rules end kindly)."""

    def name(self) -> str:
        return "action_decline_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        choice = interruption.decline_choice(tracker.get_slot("paused_form"))
        if choice == interruption.DECLINED:
            dispatcher.utter_message(response="utter_resume_declined")
        return [SlotSet("resuming", choice), SlotSet("paused_form", None)]
