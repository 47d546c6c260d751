"""Listen first: an interest said in words is reflected back and matched, and the test is offered, not started."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction
from bot.catalogue import answers
from bot.catalogue.stated_interest import matching_occupations, stated_interest


class ActionListenFirst(CatalogueAction):
    """«Jeg liker å reparere motorsykler»: say it back, show what fits and why, then offer the test.

    A request without an interest in it («hva passer for meg») sets `interest_heard` false and the rules
    start the test at once.
    """

    def name(self) -> str:
        return "action_listen_first"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        interest = stated_interest((tracker.latest_message or {}).get("text"))
        if interest is None:
            return [SlotSet("interest_heard", False)]
        dispatcher.utter_message(text=answers.message(f"interest_heard_{interest.kind}", words=interest.words)[0])
        matches = matching_occupations(interest, session=session)
        if not matches:
            dispatcher.utter_message(text=answers.message("interest_no_matches")[0])
            text, buttons = answers.message("interest_offer_test_only")
            dispatcher.utter_message(text=text, buttons=buttons)
            return [SlotSet("interest_heard", True)]
        lines = [answers.message("interest_matches")[0]]
        lines += [f"{m.occupation.title}: {m.why}." if m.why else str(m.occupation.title) for m in matches]
        dispatcher.utter_message(text="\n".join(lines))
        text, test_buttons = answers.message("interest_offer_test")
        occupations = answers.occupation_buttons([m.occupation for m in matches], "ask_occupation_info")
        dispatcher.utter_message(text=text, buttons=[*occupations, *test_buttons])
        return [SlotSet("interest_heard", True)]

    def events_when_unavailable(self, tracker: Tracker) -> list[dict[str, Any]]:
        return [SlotSet("interest_heard", False)]

