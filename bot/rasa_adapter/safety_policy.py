"""A dialogue policy that puts the safety step first, in every form and every state of the conversation."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.safety.assessment import level_of_message
from bot.safety.turn import next_step

# Above RulePolicy (6): with full confidence and as a «no user» prediction it beats a form's happy path.
PRIORITY = 7


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class SafetyPolicy(Policy):
    """Nothing to learn: `bot.safety.turn.next_step` decides from the latest message's safety level."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": PRIORITY}

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        message = tracker.latest_message
        parse_data = dict(message.parse_data) if message else {}
        if message and message.text:
            parse_data.setdefault("text", message.text)
        action = next_step(
            latest_action=tracker.latest_action_name,
            level=level_of_message(parse_data),
            check=tracker.get_slot("safety_check"),
            active_loop=tracker.active_loop_name,
        )
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
