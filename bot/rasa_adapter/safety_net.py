"""A Rasa NLU component that runs the safety net on every message, after the model has spoken."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_adapter.rule_component import RuleComponent
from bot.safety.patterns import CRISIS_INTENT, has_risk_words, is_crisis

SAFETY_NET_KEY = "safety_net"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyNet(RuleComponent):
    """Turn any message with words of self-harm, suicide or threats into `express_crisis`."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not is_crisis(text):
                self._set_aside_unfounded_crisis(message, text)
                continue
            predicted = message.get(INTENT) or {}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
            crisis = {"name": CRISIS_INTENT, "confidence": 1.0}
            message.set(INTENT, crisis, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [crisis, *ranking], add_to_output=True)
            message.set(SAFETY_NET_KEY, {"matched": True, "model_intent": predicted.get("name")}, add_to_output=True)
        return messages

    @staticmethod
    def _set_aside_unfounded_crisis(message: Message, text: str | None) -> None:
        """The model says crisis, but nothing in the words could be one: use its next best intent."""
        predicted = message.get(INTENT) or {}
        if predicted.get("name") != CRISIS_INTENT or not text or text.startswith("/") or has_risk_words(text):
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS_INTENT]
        if not ranking:
            return
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        message.set(SAFETY_NET_KEY, {"matched": False, "set_aside": CRISIS_INTENT}, add_to_output=True)
