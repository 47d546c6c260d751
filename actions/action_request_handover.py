"""Put the request for a person in the counsellors' queue and give the user their contact code."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.base import CatalogueAction
from bot.handover.queue import anyone_online, request_handoff
from bot.handover.summary import summary_for_counsellor
from bot.handover.texts import texts as handover_texts


class ActionRequestHandover(CatalogueAction):
    """Live when the user chose it and someone is online; otherwise a message in the queue. Always a code."""

    def name(self) -> str:
        return "action_request_handover"

    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        texts = handover_texts()
        share = tracker.get_slot("handover_share") == "ja"
        live = tracker.get_slot("handover_live") == "ja" and anyone_online(session=session)
        slots = tracker.current_slot_values()
        entry = request_handoff(
            tracker.sender_id, session=session, reason="request", urgent=bool(tracker.get_slot("urgent")),
            live=live, summary=summary_for_counsellor(slots, session=session) if share else None,
            channel=tracker.get_latest_input_channel(), language=tracker.get_slot("language"),
        )
        dispatcher.utter_message(text=texts["shared" if share else "not_shared"])
        if live:
            dispatcher.utter_message(text=texts["live_waiting"])
        else:
            dispatcher.utter_message(text=texts["queued"])
        dispatcher.utter_message(text=texts["code"].format(code=entry.contact_code))
        if not live:
            dispatcher.utter_message(text=texts["next_queued"])
        return [SlotSet("handover_share", None), SlotSet("handover_live", None),
                SlotSet("contact_code", entry.contact_code)]
