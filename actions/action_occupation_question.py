"""Answer a question about an occupation from the catalogue: what it is, the route, politiattest, compare."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue import answers
from bot.catalogue.dialogue import Question, answer
from bot.db import session_factory

logger = logging.getLogger(__name__)


def question_from(tracker: Tracker) -> Question:
    """The occupation question in the tracker's latest message and slots."""
    latest = tracker.latest_message or {}
    entities = latest.get("entities") or []
    return Question(
        intent=str((latest.get("intent") or {}).get("name") or ""),
        text=str(latest.get("text") or ""),
        mentions=[str(e.get("value")) for e in entities if e.get("entity") == "occupation" and e.get("value")],
        awaiting=tracker.get_slot("awaiting_occupation"),
        current=tracker.get_slot("occupation_slug"),
        compare_first=tracker.get_slot("compare_first"),
        viewed=tracker.get_slot("occupations_viewed") or [],
    )


class ActionOccupationQuestion(Action):
    """Find the occupation the user means and answer from the catalogue."""

    def name(self) -> str:
        return "action_occupation_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            with session_factory().begin() as session:
                turn = answer(question_from(tracker), session=session)
        except SQLAlchemyError:
            logger.exception("The catalogue could not be read")
            text, buttons = answers.message("catalogue_unavailable")
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("awaiting_occupation", None)]
        for message in turn.messages:
            dispatcher.utter_message(text=message.text, buttons=message.buttons or None)
        return [SlotSet(name, value) for name, value in turn.slots.items()]
