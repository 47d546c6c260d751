"""Close a knapp: say it is saved in «min plan» and offer what to do next."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionKnappDone(Action):
    """All questions answered or skipped: well done, and three ways on."""

    def name(self) -> str:
        return "action_knapp_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        texts = knapper.texts()
        dispatcher.utter_message(text=texts["knapp_done"])
        dispatcher.utter_message(
            text=texts["after_knapp"]["text"], buttons=[dict(b) for b in texts["after_knapp"]["buttons"]]
        )
        return [SlotSet("knapp_answer", None)]
