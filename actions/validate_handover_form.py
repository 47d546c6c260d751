"""Read the answers about sharing a summary and chatting live; ask about live chat only when someone is online."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.base import AnswerFirstFormValidation
from bot.handover.queue import anyone_online
from bot.handover.texts import texts
from bot.storage.engine import session_factory

logger = logging.getLogger(__name__)
YES, NO = "ja", "nei"
_YES_WORDS = ("ja", "jo", "ok", "greit", "gjerne", "yes", "del", "chat")
_NO_WORDS = ("nei", "nej", "ikke", "ikkje", "no", "beskjed", "senere", "seinare")


def is_question(value: Any) -> bool:
    """«hva er et sammendrag?»: the user asks before answering."""
    text = "" if value is None else str(value).strip().lower()
    return text.endswith("?") or text.split(" ", 1)[0] in ("hva", "hvem", "hvordan", "kva", "ka", "kven", "what", "who")


def yes_or_no(value: Any) -> str | None:
    """«ja» or «nei» from the slot's mapped value or the user's words; None when unclear."""
    text = "" if value is None else str(value).strip().lower()
    if text in (YES, NO):
        return text
    words = text.replace(",", " ").split()
    if any(w in _NO_WORDS for w in words):
        return NO
    if any(w in _YES_WORDS for w in words):
        return YES
    return None


class ValidateHandoverForm(AnswerFirstFormValidation):
    """Unclear answers are read as no: nothing is shared and no live chat starts without a clear yes."""

    def name(self) -> str:
        return "validate_handover_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        try:
            with session_factory().begin() as session:
                online = anyone_online(session=session)
        except SQLAlchemyError:
            logger.exception("Could not read who is online")
            online = False
        return [s for s in domain_slots if s != "handover_live" or online]

    def validate_handover_share(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = yes_or_no(slot_value)
        if answer is None and is_question(slot_value):
            dispatcher.utter_message(text=texts()["about_summary"])
            return {"handover_share": None}  # asked again: a question is not a no
        return {"handover_share": answer or NO}

    def validate_handover_live(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"handover_live": yes_or_no(slot_value) or NO}
