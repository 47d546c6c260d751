"""Read the rating (1-5, as a button or words); anything else skips it without asking again."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.base import AnswerFirstFormValidation
from bot.guidance.rating import NO_COMMENT, parse_rating


class ValidateRatingForm(AnswerFirstFormValidation):
    """A rating that is not 1-5 means the user did not want to rate: no comment is asked then."""

    def name(self) -> str:
        return "validate_rating_form"

    def validate_rating(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        rating = parse_rating(None if slot_value is None else str(slot_value))
        if rating is None:
            return {"rating": "0", "rating_comment": NO_COMMENT}
        return {"rating": str(rating)}

    def validate_rating_comment(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> dict[str, Any]:
        return {"rating_comment": str(slot_value or NO_COMMENT)[:1000]}
