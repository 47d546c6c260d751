"""A Rasa NLU component: a question about an occupation stays one, whatever the occupation and whatever else it says."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.question_shapes import occupation_question_intent
from bot.guidance.interruption import looks_like_request
from bot.guidance.transition import mentions_transition
from bot.rasa_adapter.rule_component import RuleComponent

TRANSITION_KEY = "transition_mentioned"
SHAPE_KEY = "occupation_question_shape"
# The model's own answers that a question of an occupation's shape overrules: it did not understand, put a
# question about an occupation it has never seen outside its scope, took it for a reflection topic, or took
# «jeg vil bli mekaniker» for a wish for suggestions.
OVERRULED = frozenset({
    "nlu_fallback", "out_of_scope", "discuss_transition", "explore_self_in_context", "explore_chances_and_limits",
    "explore_choice_and_chance", "explore_change_and_stability", "explore_adaptation_and_resistance",
    "dont_know", "answer_somewhat", "skip_question", "ask_occupation_suggestions", "ask_education_in_prison",
    "deny", "affirm",  # «nei vent, jeg mente murer», «ja, hva gjør en murer»
})
# «Hva gjør en astronaut» has an occupation question's shape, and the model sometimes hears help in it; «hva
# gjør du her», «hva gjør jeg nå» is a question about the bot and stays help.
HELP_INTENT = "ask_help"
HUMAN_INTENT = "request_human"
_ABOUT_THE_BOT = re.compile(r"\b(hva|kva|ka|what) (gjor|gjer|gjør|does|do|kan|can) (du|jeg|eg|e|ae|æ|i|you|vi|we|me)\b")
TRANSITION_INTENT = "discuss_transition"
ROUTE_INTENT = "ask_education_path"
FALLBACK_INTENT = "nlu_fallback"
# Questions about an occupation: when the model hesitated between one of them and something else, an
# occupation named in the message settles it («I want to become a welder when I get out, how do I do it»).
OCCUPATION_INTENTS = frozenset({
    "ask_occupation_info", "ask_education_path", "ask_politiattest", "compare_occupations", "ask_similar_occupations",
})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OccupationFirst(RuleComponent):
    """«Hvordan blir jeg tømrer når jeg slipper ut?» is about the occupation; the transition is offered after."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            self._occupation_question(message, text)
            self._settled_by_the_occupation(message)
            if not mentions_transition(text):
                continue
            message.set(TRANSITION_KEY, True, add_to_output=True)
            intent = message.get(INTENT) or {}
            names_occupation = any(e.get("entity") == "occupation" for e in message.get(ENTITIES) or [])
            if intent.get("name") == TRANSITION_INTENT and names_occupation:
                route = {"name": ROUTE_INTENT, "confidence": intent.get("confidence", 1.0)}
                message.set(INTENT, route, add_to_output=True)
        return messages

    @staticmethod
    def _settled_by_the_occupation(message: Message) -> None:
        """Not understood, but the model's best guess was a question about an occupation, and the message
        names one or asks something («jeg ønsker jobb renhold. hva er det jobben, må ha papir?»)."""
        if (message.get(INTENT) or {}).get("name") != FALLBACK_INTENT:
            return
        names_one = any(e.get("entity") == "occupation" for e in message.get(ENTITIES) or [])
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != FALLBACK_INTENT]
        asks = "?" in str(message.get(TEXT) or "") and bool(ranking) and ranking[0].get("confidence", 0.0) >= 0.3
        if not names_one and not asks:
            return
        if ranking and ranking[0].get("name") in OCCUPATION_INTENTS:
            message.set(INTENT, {"name": ranking[0]["name"], "confidence": ranking[0].get("confidence", 0.0)},
                        add_to_output=True)
            message.set(SHAPE_KEY, {"model_intent": FALLBACK_INTENT}, add_to_output=True)

    @staticmethod
    def _occupation_question(message: Message, text: str | None) -> None:
        """«Hva gjør en sirkusartist» reaches the catalogue, which then says honestly what it knows."""
        intent = message.get(INTENT) or {}
        help_asked = intent.get("name") == HELP_INTENT
        # «haha ok. hva gjør en fotograf da» heard as a wish for a person: no word of one in it.
        person_misheard = intent.get("name") == HUMAN_INTENT and not looks_like_request(HUMAN_INTENT, text)
        if intent.get("name") not in OVERRULED and not help_asked and not person_misheard:
            return
        if help_asked and (not text or _ABOUT_THE_BOT.search(text.casefold())):
            return
        shape = occupation_question_intent(text)
        if shape is None:
            return
        message.set(INTENT, {"name": shape, "confidence": 1.0}, add_to_output=True)
        message.set(SHAPE_KEY, {"model_intent": intent.get("name")}, add_to_output=True)
