"""Stop a knapp midway: nothing said is lost, and the user can come back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionStopKnapp(Action):
    """Say that the answers so far are kept; the form is deactivated by the rule."""

    def name(self) -> str:
        return "action_stop_knapp"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=knapper.texts()["stop_ack"])
        return [SlotSet("knapp_answer", None), SlotSet("knapp_dont_know", False)]
