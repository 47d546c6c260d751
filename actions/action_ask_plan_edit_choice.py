"""Ask whether to rewrite or remove the chosen line."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionAskPlanEditChoice(Action):
    """Three buttons: rewrite, remove, cancel."""

    def name(self) -> str:
        return "action_ask_plan_edit_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        texts = knapper.texts()
        dispatcher.utter_message(text=texts["plan_edit_how"], buttons=[dict(b) for b in texts["plan_edit_how_buttons"]])
        return []
