"""Offer a live chat when a counsellor is online."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.handover.texts import texts as handover_texts


class ActionAskHandoverLive(Action):
    """Chat with a person now, or leave a message in the queue."""

    def name(self) -> str:
        return "action_ask_handover_live"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        texts = handover_texts()
        dispatcher.utter_message(text=texts["ask_live"], buttons=[dict(b) for b in texts["ask_live_buttons"]])
        return []
