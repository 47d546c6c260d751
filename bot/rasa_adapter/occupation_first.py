"""A Rasa NLU component: a question about an occupation stays one when it also mentions getting out."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.guidance.transition import mentions_transition

TRANSITION_KEY = "transition_mentioned"
TRANSITION_INTENT = "discuss_transition"
ROUTE_INTENT = "ask_education_path"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OccupationFirst(GraphComponent):
    """«Hvordan blir jeg tømrer når jeg slipper ut?» is about the occupation; the transition is offered after."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> OccupationFirst:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not mentions_transition(text):
                continue
            message.set(TRANSITION_KEY, True, add_to_output=True)
            intent = message.get(INTENT) or {}
            names_occupation = any(e.get("entity") == "occupation" for e in message.get(ENTITIES) or [])
            if intent.get("name") == TRANSITION_INTENT and names_occupation:
                route = {"name": ROUTE_INTENT, "confidence": intent.get("confidence", 1.0)}
                message.set(INTENT, route, add_to_output=True)
        return messages
