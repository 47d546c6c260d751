"""A Rasa NLU component that assesses every message for safety, after the model has spoken."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_adapter.rule_component import RuleComponent
from bot.safety.assessment import CRISIS, CRISIS_INTENT, PARSE_KEY, THREAT, assess
from bot.safety.classifier import scorer


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(RuleComponent):
    """Adds `safety` (level, source) to every message; a clear crisis or threat becomes `express_crisis`."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            predicted = message.get(INTENT) or {}
            assessment = assess(message.get(TEXT), model_says_crisis=predicted.get("name") == CRISIS_INTENT)
            safety = {**assessment.as_dict(), "model_intent": predicted.get("name")}
            message.set(PARSE_KEY, safety, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
            if predicted.get("name") == CRISIS_INTENT and assessment.level is None and ranking:
                # The intent model's guess was not kept: the next intent it ranked takes its place.
                message.set(INTENT, ranking[0], add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
            if assessment.level in (CRISIS, THREAT):
                crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
                message.set(INTENT, crisis, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
        return messages

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> SafetyNet:
        """Train the classifier when the model loads (about a second), not during someone's first message."""
        scorer()
        return cls()
