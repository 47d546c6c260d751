"""A Rasa NLU component: an interest said in words («driv mykje med musikk») is a wish for suggestions."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.catalogue.stated_interest import stated_interest
from bot.rasa_adapter.rule_component import RuleComponent

SUGGESTIONS_INTENT = "ask_occupation_suggestions"
SHAPE_KEY = "interest_statement_shape"
# The model's answers that a stated interest overrules: not understood, out of scope, help, or a
# reflection topic. A question about an occupation, a request or a crisis keeps its intent.
OVERRULED = frozenset({
    "nlu_fallback", "out_of_scope", "ask_help", "explore_self_in_context", "explore_chances_and_limits",
    "explore_choice_and_chance", "explore_change_and_stability", "explore_adaptation_and_resistance",
    "answer_somewhat", "greet", "ask_education_in_prison",
})
# «Liker å være ute i skogen hele dagen. orker ikke kontor» is an interest, not hopelessness; a doubt about
# being hired with a record («ingen vil ansette meg») keeps its own answer.
HOPELESSNESS_INTENT = "express_hopelessness"
_DOUBT_ABOUT_HIRING = re.compile(r"(ansett|tilsett|hire|dom\b|dommen|politiattest|rulleblad|record|straff|sonet|"
                                 r"fengsel|prison|jobb til meg|job for me)", re.IGNORECASE)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InterestFirst(RuleComponent):
    """«Jeg har alltid likt å lage mat» goes to the suggestions, where the bot listens before it tests."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT)
            overruled = intent.get("name") in OVERRULED or (
                intent.get("name") == HOPELESSNESS_INTENT and not _DOUBT_ABOUT_HIRING.search(str(text or "")))
            if not overruled or stated_interest(text) is None:
                continue
            message.set(INTENT, {"name": SUGGESTIONS_INTENT, "confidence": 1.0}, add_to_output=True)
            message.set(SHAPE_KEY, {"model_intent": intent.get("name")}, add_to_output=True)
        return messages
