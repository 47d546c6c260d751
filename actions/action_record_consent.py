"""Record the user's answer to «Vil du at samtalen tas vare på?»."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.privacy.consent import CONSENT_SLOT


class ActionRecordConsent(Action):
    """Yes keeps the conversation for the counsellor; no (or anything else) keeps nothing."""

    def name(self) -> str:
        return "action_record_consent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return [SlotSet(CONSENT_SLOT, intent == "affirm")]
