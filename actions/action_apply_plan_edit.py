"""Change or remove the chosen line of «min plan», then show the plan as it is now."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction
from bot.guidance import interruption, knapper
from bot.guidance.plan import edit_plan, plan_messages
from bot.guidance.plan_edit import CANCEL, REMOVE

FORM_SLOTS = ("plan_line", "plan_edit_choice", "plan_new_text")


class ActionApplyPlanEdit(CatalogueAction):
    """Applies the edit to the slots the plan is built from; the form's slots are emptied for next time."""

    def name(self) -> str:
        return "action_apply_plan_edit"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        texts = knapper.texts()
        ref, choice = tracker.get_slot("plan_line"), tracker.get_slot("plan_edit_choice")
        reset = [SlotSet(name, None) for name in FORM_SLOTS]
        after = texts["plan_after"]
        if ref is None:
            dispatcher.utter_message(text=texts["plan_edit_empty"])
            if not interruption.offers_resume(tracker.get_slot("paused_form")):
                dispatcher.utter_message(response="utter_menu")
            return reset
        if ref == CANCEL or choice == CANCEL:
            dispatcher.utter_message(text=texts["plan_edit_cancelled"], buttons=[dict(b) for b in after["buttons"]])
            return reset
        removing = choice == REMOVE
        updates = edit_plan(tracker.current_slot_values(), ref, None if removing else tracker.get_slot("plan_new_text"))
        dispatcher.utter_message(text=texts["plan_edit_removed" if removing else "plan_edit_changed"])
        slots = {**tracker.current_slot_values(), **updates}
        for message in plan_messages(slots, session=session):
            dispatcher.utter_message(text=message)
        dispatcher.utter_message(text=after["text"], buttons=[dict(b) for b in after["buttons"]])
        return [SlotSet(name, value) for name, value in updates.items()] + reset
