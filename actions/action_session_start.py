"""Start a session with the settings the greeting tells the user about."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import get_settings


class ActionSessionStart(Action):
    """Begin a session and set how long the conversation is kept."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return [
            SessionStarted(),
            SlotSet("retention_days", get_settings().retention_days),
            ActionExecuted("action_listen"),
        ]
