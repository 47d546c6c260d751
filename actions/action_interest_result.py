"""Suggest occupations from the interest mini-test, and say why each fits."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.catalogue import answers, interests
from bot.catalogue.queries import get_occupation
from bot.db import session_factory

logger = logging.getLogger(__name__)


class ActionInterestResult(Action):
    """Show the strongest interests and the occupations that fit them, as buttons."""

    def name(self) -> str:
        return "action_interest_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        scores = tracker.get_slot("interest_scores") or []
        reset = [SlotSet("interest_answer", None), SlotSet("interest_scores", None)]
        try:
            with session_factory().begin() as session:
                suggestions = interests.suggest(scores, session=session)
                occupations = [get_occupation(s.slug, session=session) for s in suggestions]
                buttons = answers.occupation_buttons([o for o in occupations if o], "ask_occupation_info")
        except SQLAlchemyError:
            logger.exception("The catalogue could not be read")
            text, fallback_buttons = answers.message("catalogue_unavailable")
            dispatcher.utter_message(text=text, buttons=fallback_buttons)
            return reset
        messages = interests.result_messages(scores, suggestions)
        for text in messages[:-1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(text=messages[-1], buttons=buttons)
        return [*reset, SlotSet("interest_profile", interests.top_codes(scores))]
