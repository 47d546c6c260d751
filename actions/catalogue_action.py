"""Shared base for actions that read the catalogue: one session per run, a kind answer if the database fails."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.catalogue import answers
from bot.db import session_factory

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
