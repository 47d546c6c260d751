"""Pause the active form when a request comes in the middle of it; the shared interruption step."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.guidance import interruption


class ActionPauseForm(Action):
    """Remember which form was active and stop it, so the next message is not read as its answer."""

    def name(self) -> str:
        return "action_pause_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        paused = interruption.form_to_pause(tracker.active_loop.get("name"))
        if paused is None:
            return []
        return [SlotSet("paused_form", paused), ActiveLoop(None), SlotSet("requested_slot", None)]
