"""Ask for the new wording of a line in «min plan»."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionAskPlanNewText(Action):
    """One open question; the user writes the line in their own words."""

    def name(self) -> str:
        return "action_ask_plan_new_text"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=knapper.texts()["plan_edit_new_text"])
        return []
