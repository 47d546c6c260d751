"""Ask the next statement of the interest mini-test."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.catalogue import interests


class ActionAskInterestAnswer(Action):
    """Show statement N of the test with the answer buttons."""

    def name(self) -> str:
        return "action_ask_interest_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answered = len(tracker.get_slot("interest_scores") or [])
        messages = interests.question(min(answered, interests.statement_count() - 1))
        for text in messages[:-1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(text=messages[-1], buttons=interests.buttons())
        return []
