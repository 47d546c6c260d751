"""Answer a question about an occupation from the catalogue: what it is, the route, politiattest, compare."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction, question_from
from bot.catalogue.dialogue import answer


class ActionOccupationQuestion(CatalogueAction):
    """Find the occupation the user means and answer from the catalogue."""

    def name(self) -> str:
        return "action_occupation_question"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        turn = answer(question_from(tracker), session=session)
        for message in turn.messages:
            dispatcher.utter_message(text=message.text, buttons=message.buttons or None)
        return [SlotSet(name, value) for name, value in turn.slots.items()]

    def events_when_unavailable(self, tracker: Tracker) -> list[dict[str, Any]]:
        return [SlotSet("awaiting_occupation", None)]
