"""Show «min plan»: what the user said in each knapp, occupations looked at, next steps."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction
from bot.guidance import knapper
from bot.guidance.plan import plan_lines, plan_messages


class ActionShowPlan(CatalogueAction):
    """The plan as plain text in the chat, then what to do next."""

    def name(self) -> str:
        return "action_show_plan"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        for message in plan_messages(tracker.current_slot_values(), session=session):
            dispatcher.utter_message(text=message)
        after = knapper.texts()["plan_after"]
        buttons = [dict(b) for b in after["buttons"]]
        if not plan_lines(tracker.current_slot_values(), session=session):
            buttons = buttons[1:]  # nothing to correct yet
        dispatcher.utter_message(text=after["text"], buttons=buttons)
        return []
