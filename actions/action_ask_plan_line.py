"""Ask which line of «min plan» the user wants to correct or remove."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction
from bot.guidance import knapper
from bot.guidance.plan import plan_lines
from bot.guidance.plan_edit import line_buttons


class ActionAskPlanLine(CatalogueAction):
    """The lines as numbered buttons; asked again more gently when the answer did not match a line."""

    def name(self) -> str:
        return "action_ask_plan_line"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        texts = knapper.texts()
        again = tracker.get_slot("requested_slot") == "plan_line"
        buttons = line_buttons(plan_lines(tracker.current_slot_values(), session=session))
        buttons.append(dict(texts["plan_edit_cancel_button"]))
        dispatcher.utter_message(text=texts["plan_edit_which_again" if again else "plan_edit_which"], buttons=buttons)
        return []
