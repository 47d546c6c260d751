"""Store the rating as a quality figure; the comment only when the user agreed to storing."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from bot.guidance import knapper
from bot.guidance.rating import NO_COMMENT, record_rating
from bot.privacy.consent import CONSENT_SLOT
from bot.storage.engine import session_factory

logger = logging.getLogger(__name__)


class ActionStoreRating(Action):
    """Thank the user; a failure to store is logged, never shown as an error to the user."""

    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rating = int(tracker.get_slot("rating") or 0)
        if rating:
            comment = tracker.get_slot("rating_comment")
            if comment in (None, NO_COMMENT):
                comment = None
            else:
                from bot.privacy.redaction import redact_text  # Presidio: loaded only when a comment comes

                comment = redact_text(str(comment))
            covered = [k for k, v in (tracker.get_slot("knapp_answers") or {}).items() if k != "earlier" and v]
            try:
                with session_factory().begin() as session:
                    record_rating(
                        rating, comment,
                        tracker.get_slot(CONSENT_SLOT) is True, covered, session=session, sender_id=tracker.sender_id,
                    )
            except SQLAlchemyError:
                logger.exception("Could not store a rating")
            dispatcher.utter_message(text=knapper.texts()["rating_thanks"])
        return [SlotSet("rating", None), SlotSet("rating_comment", None)]
