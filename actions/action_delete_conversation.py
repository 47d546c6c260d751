"""«Slett samtalen min», confirmed: delete everything stored and forget the conversation."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.privacy.consent import CONSENT_SLOT
from bot.privacy.retention import delete_conversation
from bot.settings import get_settings


class ActionDeleteConversation(Action):
    """Deletes the stored conversation and its summary; the tracker store forgets what came before."""

    def name(self) -> str:
        return "action_delete_conversation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        delete_conversation(tracker.sender_id, settings=get_settings())
        # Nothing more is stored in this conversation; the tracker store drops every event before this action.
        return [SlotSet(CONSENT_SLOT, False)]
