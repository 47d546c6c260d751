"""TED's next-action predictions remembered by the dialogue states they are computed from.

Without end-to-end training (no user texts in the stories), TED's answer is a function of the last
`max_history` states alone: intents, entity names, slots, the active form, the previous actions. Many
conversations pass through the same states (greeting, consent, each knapp's questions), and Rasa runs
TED's network on every prediction, two to four per turn, whether or not a rule then decides. The
prediction is remembered under those states, in memory only, for as long as this model is loaded; a
state that carries a text (a message without an intent) is never remembered, so no user text is kept.
The same probabilities to the last digit: `bench/model_load.py` compares with Rasa as shipped.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, USER
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ACTION_TEXT, TEXT

from bot.rasa_adapter.dialogue_history import frozen
from bot.rasa_adapter.originals import ORIGINALS

KEPT = 10_000  # predictions per loaded model (about 2 KiB each)
_MEMORY = "_veivalg_remembered"
COUNTS: Counter[str] = Counter()  # "remembered", "computed", "not kept" (a state with a text): for benchmarks


@dataclass(frozen=True)
class _Remembered:
    """What TED answered for one sequence of states."""

    probabilities: np.ndarray
    is_end_to_end_prediction: bool
    diagnostic_data: dict[str, Any]


def key_for(states: list[State]) -> Any:
    """The key for these states, or None when one of them carries a text (then it is not remembered)."""
    for state in states:
        if TEXT in state.get(USER, {}) or ACTION_TEXT in state.get(PREVIOUS_ACTION, {}):
            return None
    return frozen(states)


def remembers(policy: TEDPolicy) -> bool:
    """Whether this TED's predictions depend on the states alone (no end-to-end text features)."""
    return policy.model is not None and not policy.only_e2e and TEXT not in policy.fake_features


def memory(policy: TEDPolicy) -> OrderedDict[Any, _Remembered]:
    """The policy's remembered predictions, most recently used last (made on first use)."""
    found: OrderedDict[Any, _Remembered] | None = policy.__dict__.get(_MEMORY)
    if found is None:
        found = policy.__dict__[_MEMORY] = OrderedDict()
    return found


def predict_action_probabilities(
    self: TEDPolicy,
    tracker: DialogueStateTracker,
    domain: Domain,
    rule_only_data: dict[str, Any] | None = None,
    precomputations: Any = None,
    **kwargs: Any,
) -> PolicyPrediction:
    """`TEDPolicy.predict_action_probabilities`, remembered by the states it is computed from."""
    rasa_predict = ORIGINALS[(TEDPolicy, "predict_action_probabilities")]
    if not remembers(self):
        return rasa_predict(self, tracker, domain, rule_only_data=rule_only_data,
                            precomputations=precomputations, **kwargs)
    ml_only = self.supported_data() == SupportedData.ML_DATA
    [states] = self.featurizer.prediction_states(
        [tracker], domain, use_text_for_last_user_input=False, ignore_rule_only_turns=ml_only,
        rule_only_data=rule_only_data, ignore_action_unlikely_intent=ml_only,
    )
    key = key_for(states)
    kept = memory(self)
    found = kept.get(key) if key is not None else None
    COUNTS["remembered" if found is not None else "computed" if key is not None else "not kept"] += 1
    if found is not None:
        kept.move_to_end(key)
        return self._prediction(found.probabilities.tolist(), is_end_to_end_prediction=found.is_end_to_end_prediction,
                                diagnostic_data=found.diagnostic_data)
    prediction: PolicyPrediction = rasa_predict(self, tracker, domain, rule_only_data=rule_only_data,
                                                precomputations=precomputations, **kwargs)
    if key is not None and not prediction.optional_events and not prediction.events:
        kept[key] = _Remembered(np.asarray(prediction.probabilities, dtype=np.float64),
                                prediction.is_end_to_end_prediction, prediction.diagnostic_data)
        if len(kept) > KEPT:
            kept.popitem(last=False)
    return prediction
