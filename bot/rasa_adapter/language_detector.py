"""A Rasa NLU component: the language of each message, as an entity that fills the `language` slot."""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.languages.choice import chosen_language
from bot.languages.detection import NORWEGIAN, WAY_IN, detect, warm_up
from bot.languages.way_in import way_ins
from bot.rasa_adapter.rule_component import RuleComponent
from bot.safety.assessment import CRISIS_INTENT

LANGUAGE_ENTITY = "language"
CHOOSE_INTENT = "set_language"
WAY_IN_INTENT = "other_language"
PARSE_KEY = "language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageDetector(RuleComponent):
    """«English please» or «norsk» chooses; a message clearly in English switches to English; one of ten more
    opens the way in for its speakers. Short, unclear or Norwegian messages leave the language as it is."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = message.get(INTENT) or {}
            chosen = chosen_language(text)
            detection = detect(text)
            code = chosen or detection.language
            message.set(PARSE_KEY, {"language": code, "chosen": chosen is not None,
                                    "confidence": round(detection.confidence, 3)}, add_to_output=True)
            if code is None or (code == NORWEGIAN and chosen is None):
                # Back to Norwegian is the user's choice («norsk», the «Norsk» button): a Norwegian word in an
                # English conversation does not switch it, and Norwegian, the default, needs no entity.
                continue
            entity = {"entity": LANGUAGE_ENTITY, "value": code, "start": 0, "end": len(text),
                      "confidence_entity": 1.0 if chosen else detection.confidence, "extractor": type(self).__name__}
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
            if intent.get("name") == CRISIS_INTENT:
                continue  # a crisis is answered first, in whatever language
            if chosen is not None:
                self._set_intent(message, CHOOSE_INTENT)
            elif code in WAY_IN:
                self._set_intent(message, WAY_IN_INTENT)
        return messages

    @staticmethod
    def _set_intent(message: Message, name: str) -> None:
        decided = {"name": name, "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
        message.set(INTENT, decided, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [decided, *ranking], add_to_output=True)

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> LanguageDetector:
        """Read the ten languages' files when the model loads, so that a broken file stops the start."""
        way_ins()
        warm_up()
        return cls()
