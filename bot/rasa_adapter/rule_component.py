"""The base of Veivalg's NLU components: untrained rules that run after the model on every message."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message


class RuleComponent(GraphComponent):
    """Nothing to train, nothing to store: `create` makes one, `process` changes the messages in place."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleComponent:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        raise NotImplementedError
