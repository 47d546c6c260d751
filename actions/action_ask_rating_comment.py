"""Ask for an optional comment after the rating."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionAskRatingComment(Action):
    """Thanks for the rating, then an optional comment with a «Nei takk» button."""

    def name(self) -> str:
        return "action_ask_rating_comment"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        texts = knapper.texts()
        dispatcher.utter_message(
            text=texts["rating_comment_question"], buttons=[dict(b) for b in texts["rating_comment_buttons"]]
        )
        return []
