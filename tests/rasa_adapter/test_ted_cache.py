"""TED's predictions are remembered by their states, never with a text, and give what TED gave."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.core.policies.ted_policy import TEDPolicy

from bot.rasa_adapter import ted_cache
from bot.rasa_adapter.originals import ORIGINALS

LISTENED = {"prev_action": {"action_name": "action_listen"}}


def state(intent: str, **slots: tuple[float, ...]) -> dict[str, Any]:
    return {"user": {"intent": intent}, **LISTENED, "slots": dict(slots)}


class FakeTED:
    """What the remembering reads of a TEDPolicy: its model, features, featurizer and `_prediction`."""

    def __init__(self, states: list[dict[str, Any]], e2e: bool = False) -> None:
        self.model = object()
        self.only_e2e = False
        self.fake_features: dict[str, list[Any]] = {"text": []} if e2e else {"intent": []}
        self.states = states
        self.featurizer = SimpleNamespace(prediction_states=lambda trackers, domain, **kw: [self.states])

    def supported_data(self) -> SupportedData:
        return SupportedData.ML_DATA

    def _prediction(self, probabilities: list[float], **kwargs: Any) -> PolicyPrediction:
        return PolicyPrediction(probabilities, "TEDPolicy", 1, **kwargs)


@pytest.fixture
def ted_computes(monkeypatch):
    """TED's own prediction, replaced: it counts its calls and answers from the states' first intent."""
    calls: list[list[dict[str, Any]]] = []

    def rasa_predict(policy: FakeTED, tracker: Any, domain: Any, **kwargs: Any) -> PolicyPrediction:
        calls.append(policy.states)
        share = 0.75 if policy.states[-1]["user"].get("intent") == "greet" else 0.5
        return policy._prediction([share, 1 - share], diagnostic_data={"attention": [1]})

    monkeypatch.setitem(ORIGINALS, (TEDPolicy, "predict_action_probabilities"), rasa_predict)
    monkeypatch.setattr(ted_cache, "COUNTS", ted_cache.Counter())
    return calls


def predict(policy: FakeTED) -> PolicyPrediction:
    return ted_cache.predict_action_probabilities(policy, tracker=None, domain=None)


def test_the_same_states_are_answered_from_memory_with_what_ted_said(ted_computes):
    policy = FakeTED([state("greet", consent=(1.0,))])

    first, second = predict(policy), predict(policy)

    assert len(ted_computes) == 1
    assert first.probabilities == second.probabilities == [0.75, 0.25]
    assert second.diagnostic_data == {"attention": [1]} and second.policy_name == "TEDPolicy"
    assert second.probabilities is not first.probabilities  # a fresh list: the ensemble may change it
    assert dict(ted_cache.COUNTS) == {"computed": 1, "remembered": 1}


def test_other_states_are_computed(ted_computes):
    policy = FakeTED([state("greet")])
    predict(policy)
    policy.states = [state("greet", consent=(1.0,))]

    assert predict(policy).probabilities == [0.75, 0.25]
    assert len(ted_computes) == 2


def test_the_order_of_keys_does_not_matter_but_their_values_do():
    one = [{"slots": {"a": (1.0,), "b": (0.0,)}, **LISTENED}]
    same = [{**LISTENED, "slots": {"b": (0.0,), "a": (1.0,)}}]
    other = [{**LISTENED, "slots": {"b": (1.0,), "a": (1.0,)}}]

    assert ted_cache.key_for(one) == ted_cache.key_for(same) != ted_cache.key_for(other)


def test_a_state_with_a_text_is_never_remembered(ted_computes):
    policy = FakeTED([{"user": {"text": "Ola Nordmann, 12345678"}, **LISTENED}])

    predict(policy)
    predict(policy)

    assert len(ted_computes) == 2
    assert ted_cache.memory(policy) == {}
    assert ted_cache.COUNTS["not kept"] == 2


def test_an_end_to_end_model_is_always_computed(ted_computes):
    policy = FakeTED([state("greet")], e2e=True)

    predict(policy)
    predict(policy)

    assert len(ted_computes) == 2


def test_memory_keeps_the_most_recently_used(ted_computes, monkeypatch):
    monkeypatch.setattr(ted_cache, "KEPT", 2)
    policy = FakeTED([state("greet")])
    for intent in ("greet", "deny", "greet", "affirm"):  # greet used again, so deny is the one let go
        policy.states = [state(intent)]
        predict(policy)

    kept = ted_cache.memory(policy)
    assert [dict(key[0])["user"] for key in kept] == [(("intent", "greet"),), (("intent", "affirm"),)]
