"""Signs of crisis, a threat, or a possible sign: the answer for where the user is, and a flag for counsellors."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import respond_to_safety
from bot.safety.assessment import CRISIS, level_of_message


class ActionRespondToSafety(Action):
    """Chosen by the safety policy in any state; the level comes from the safety net on the message."""

    def name(self) -> str:
        return "action_respond_to_safety"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        # Without a level (a message the net did not see, a rule) the text is judged; a crisis intent gets care.
        level = level_of_message(tracker.latest_message or {}) or CRISIS
        return respond_to_safety(dispatcher, tracker, level)
