"""Shared by the actions: a base for actions that read the catalogue, and how to read the latest message."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.catalogue import answers
from bot.catalogue.dialogue import Question
from bot.storage.engine import session_factory

logger = logging.getLogger(__name__)


class CatalogueAction(Action, metaclass=ABCMeta):
    """Runs `answer` inside `with Session.begin()`; a database fault becomes a kind message."""

    class Meta:
        abstract = True

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        """Do the work with the session; return the events."""

    def events_when_unavailable(self, tracker: Tracker) -> list[dict[str, Any]]:
        """Events to return when the catalogue could not be read."""
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            with session_factory().begin() as session:
                return self.answer(dispatcher, tracker, session=session)
        except SQLAlchemyError:
            logger.exception("The catalogue could not be read")
            text, buttons = answers.message("catalogue_unavailable")
            dispatcher.utter_message(text=text, buttons=buttons)
            return self.events_when_unavailable(tracker)


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
        transition=bool(latest.get("transition_mentioned")),
    )
