"""Ask «Var dette nyttig?» on a 1-5 scale."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionAskRating(Action):
    """The rating question with five buttons."""

    def name(self) -> str:
        return "action_ask_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        texts = knapper.texts()
        dispatcher.utter_message(text=texts["rating_question"], buttons=[dict(b) for b in texts["rating_buttons"]])
        return []
