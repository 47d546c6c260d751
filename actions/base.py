"""Shared by the actions: a base for actions that read the catalogue, and how to read the latest message."""

from __future__ import annotations

import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.catalogue import answers
from bot.catalogue.dialogue import Question
from bot.storage.engine import session_factory

logger = logging.getLogger(__name__)


class CatalogueAction(Action, metaclass=ABCMeta):
    """Runs `answer` inside `with Session.begin()`; a database fault becomes a kind message."""

    class Meta:
        abstract = True

    @abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, *, session: Session) -> list[dict[str, Any]]:
        """Do the work with the session; return the events."""

    def events_when_unavailable(self, tracker: Tracker) -> list[dict[str, Any]]:
        """Events to return when the catalogue could not be read."""
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        try:
            with session_factory().begin() as session:
                return self.answer(dispatcher, tracker, session=session)
        except SQLAlchemyError:
            logger.exception("The catalogue could not be read")
            text, buttons = answers.message("catalogue_unavailable")
            dispatcher.utter_message(text=text, buttons=buttons)
            return self.events_when_unavailable(tracker)


def question_from(tracker: Tracker) -> Question:
    """The occupation question in the tracker's latest message and slots."""
    latest = tracker.latest_message or {}
    entities = latest.get("entities") or []
    return Question(
        intent=str((latest.get("intent") or {}).get("name") or ""),
        text=str(latest.get("text") or ""),
        mentions=[str(e.get("value")) for e in entities if e.get("entity") == "occupation" and e.get("value")],
        awaiting=tracker.get_slot("awaiting_occupation"),
        current=tracker.get_slot("occupation_slug"),
        compare_first=tracker.get_slot("compare_first"),
        viewed=tracker.get_slot("occupations_viewed") or [],
        transition=bool(latest.get("transition_mentioned")),
    )


def respond_to_safety(dispatcher: CollectingDispatcher, tracker: Tracker, level: str) -> list[dict[str, Any]]:
    """Say what the level needs where the user is, queue the conversation for a counsellor, set the slots."""
    from rasa_sdk.events import ActiveLoop, SlotSet

    from bot.handover.queue import flag_for_safety
    from bot.languages.way_in_message import way_in_message
    from bot.safety import response
    from bot.safety.turn import ASKED

    latest = tracker.latest_message or {}
    setting = response.setting_of(tracker.sender_id, latest.get("metadata"))
    way_in = way_in_message(tracker.get_slot("language") or "")
    if way_in is not None and level != "possible":
        dispatcher.utter_message(text=way_in.texts[1])  # first, where to turn at once, in the user's own language
    for name in response.responses_for(level, setting):
        dispatcher.utter_message(response=name)
    try:
        with session_factory().begin() as session:
            flag_for_safety(tracker.sender_id, level, session=session, channel=tracker.get_latest_input_channel(),
                            language=tracker.get_slot("language"))
    except SQLAlchemyError:
        # The caring answer has already gone out; the slots still mark the transcript.
        logger.exception("Could not queue a conversation with signs of %s", level)
    events: list[dict[str, Any]] = [SlotSet("safety_level", level), *forget_form_answer(tracker)]
    if response.URGENT[level]:
        events.append(SlotSet("urgent", True))
    if level == "possible":
        events.append(SlotSet("safety_check", ASKED))
    else:
        events.append(SlotSet("safety_check", None))
        if tracker.active_loop.get("name"):
            events += [ActiveLoop(None), SlotSet("requested_slot", None)]
    return events


def forget_form_answer(tracker: Tracker) -> list[dict[str, Any]]:
    """Empty the slot the active form asked for: the message went to the safety step, not to the form.

    Rasa fills a form's requested slot from every message before any policy speaks, so without this the
    words of a crisis, or the «nei» to the safety question, would be kept as the form's answer.
    """
    from rasa_sdk.events import SlotSet

    requested = tracker.get_slot("requested_slot")
    return [SlotSet(requested, None)] if tracker.active_loop.get("name") and requested else []


class AnswerFirstFormValidation(FormValidationAction):
    """Every form's validation: inside a form a message is an answer unless it clearly asks for something.

    The domain keeps requests out of the forms' free-text answers (`not_intent`); when the model heard a
    request in a message that does not say what it asks for («at jeg kan lese bedre» as a privacy
    question), the message fills the requested slot after all (bot/guidance/interruption.py).
    """

    @abstractmethod
    def name(self) -> str:
        """The form's validation action name; abstract, so the action server does not register the base."""

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from rasa_sdk.events import SlotSet

        from bot.guidance import interruption

        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        latest = tracker.latest_message or {}
        intent = (latest.get("intent") or {}).get("name")
        text = latest.get("text")
        if not requested or intent not in interruption.CUED or interruption.looks_like_request(intent, text):
            return events
        return [*events, SlotSet(requested, text)]
