"""Ask for consent to share a summary with the counsellor."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.handover.texts import texts as handover_texts


class ActionAskHandoverShare(Action):
    """Yes or no, with buttons; nothing is shared without a yes."""

    def name(self) -> str:
        return "action_ask_handover_share"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        texts = handover_texts()
        dispatcher.utter_message(text=texts["ask_share"], buttons=[dict(b) for b in texts["ask_share_buttons"]])
        return []
