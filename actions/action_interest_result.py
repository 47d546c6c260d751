"""Suggest occupations from the interest mini-test, and say why each fits."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction
from bot.catalogue import answers, interests
from bot.catalogue.queries import get_occupation


class ActionInterestResult(CatalogueAction):
    """Show the strongest interests and the occupations that fit them, as buttons."""

    def name(self) -> str:
        return "action_interest_result"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        scores = tracker.get_slot("interest_scores") or []
        suggestions = interests.suggest(scores, session=session)
        occupations = [o for o in (get_occupation(s.slug, session=session) for s in suggestions) if o]
        messages = interests.result_messages(scores, suggestions)
        for text in messages[:-1]:
            dispatcher.utter_message(text=text)
        dispatcher.utter_message(
            text=messages[-1], buttons=answers.occupation_buttons(occupations, "ask_occupation_info")
        )
        return [*reset_test(), SlotSet("interest_profile", interests.top_codes(scores))]

    def events_when_unavailable(self, tracker: Tracker) -> list[dict[str, Any]]:
        return reset_test()


def reset_test() -> list[dict[str, Any]]:
    """Clear the answers so that the test can be taken again."""
    return [SlotSet("interest_answer", None), SlotSet("interest_scores", None)]
