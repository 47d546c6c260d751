"""The way in for a message in one of the ten languages: who Veivalg is, where to turn at once, three ways on."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.languages.way_in_message import way_in_message


class ActionOtherLanguage(Action):
    """A short welcome and the crisis text in the user's language, then English, Norsk or a counsellor."""

    def name(self) -> str:
        return "action_other_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = way_in_message(tracker.get_slot("language") or "")
        if message is None:
            dispatcher.utter_message(response="utter_language_unknown")
            return []
        welcome, crisis = message.texts
        dispatcher.utter_message(text=welcome)
        dispatcher.utter_message(text=crisis, buttons=[dict(button) for button in message.buttons])
        return []
