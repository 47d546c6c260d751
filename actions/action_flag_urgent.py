"""Crisis words: an urgent entry at the top of the counsellors' queue, whatever else happens."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.handover.queue import request_handoff
from bot.storage.engine import session_factory

logger = logging.getLogger(__name__)


class ActionFlagUrgent(Action):
    """Runs after the caring answer and says nothing itself, so the conversation goes on gently."""

    def name(self) -> str:
        return "action_flag_urgent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            with session_factory().begin() as session:
                request_handoff(
                    tracker.sender_id, session=session, reason="crisis", urgent=True,
                    channel=tracker.get_latest_input_channel(),
                )
        except SQLAlchemyError:
            # The answer with staff and help lines has already gone out; the slot still marks the transcript.
            logger.exception("Could not queue an urgent handoff")
        return [SlotSet("urgent", True)]
