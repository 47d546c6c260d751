"""Ask the next reflection question of the current knapp, one at a time."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import knapper


class ActionAskKnappAnswer(Action):
    """The question where the user is, or its easier version after «vet ikke»."""

    def name(self) -> str:
        return "action_ask_knapp_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        key = tracker.get_slot("current_knapp") or "self_in_context"
        step = min(knapper.answered_steps(tracker.get_slot("knapp_answers"), key), len(knapper.steps(key)) - 1)
        text = knapper.question(key, step, easier=bool(tracker.get_slot("knapp_dont_know")))
        dispatcher.utter_message(text=text, buttons=knapper.buttons(key, step))
        return []
