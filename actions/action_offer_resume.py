"""After a request is handled: offer to go back to the paused form, or say what usually follows."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import interruption


class ActionOfferResume(Action):
    """«Vil du fortsette der du var?» when a form is paused; otherwise the usual next step."""

    def name(self) -> str:
        return "action_offer_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        response = interruption.offer_after(tracker.get_slot("paused_form"), tracker.latest_action_name)
        if response is not None:
            dispatcher.utter_message(response=response)
        return []

