"""The safety net catches every crisis phrasing written for this project, and leaves ordinary sentences alone."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.paths import PROJECT_ROOT, TESTS_DIR
from bot.rasa_adapter.safety_net import SAFETY_NET_KEY, SafetyNet
from bot.safety.patterns import has_risk_words, is_crisis

PHRASES: dict[str, Any] = yaml.safe_load(
    (TESTS_DIR / "data" / "crisis_phrases.yml").read_text(encoding="utf-8")
)


def test_the_lists_are_large_enough():
    assert len(PHRASES["crisis"]) >= 60 and len(PHRASES["ordinary"]) >= 60


@pytest.mark.parametrize("text", PHRASES["crisis"])
def test_every_crisis_phrasing_is_caught(text: str):
    assert is_crisis(text)


@pytest.mark.parametrize("text", PHRASES["ordinary"])
def test_ordinary_sentences_with_hard_words_are_not_flagged(text: str):
    assert not is_crisis(text)


@pytest.mark.parametrize("text", ["/express_crisis", "/ask_help", "", None])
def test_button_payloads_and_empty_messages_are_left_to_the_model(text):
    assert not is_crisis(text)


def test_the_component_overrides_whatever_the_model_predicted():
    message = Message({TEXT: "orker ikke mer, vil ta livet mitt"})
    message.set(INTENT, {"name": "ask_help", "confidence": 0.93})
    message.set(INTENT_RANKING_KEY, [{"name": "ask_help", "confidence": 0.93}])
    ordinary = Message({TEXT: "hva gjør en tømrer"})
    ordinary.set(INTENT, {"name": "ask_occupation_info", "confidence": 0.97})

    SafetyNet().process([message, ordinary])

    assert message.get(INTENT) == {"name": "express_crisis", "confidence": 1.0}
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "express_crisis"
    assert message.get(SAFETY_NET_KEY) == {"matched": True, "model_intent": "ask_help"}
    assert ordinary.get(INTENT)["name"] == "ask_occupation_info"
    assert ordinary.get(SAFETY_NET_KEY) is None


def _nlu_examples() -> list[tuple[str, str]]:
    from bot.rasa_adapter.fallback_tuning import load_examples

    root = PROJECT_ROOT
    return load_examples(sorted((root / "data" / "nlu").glob("*.yml")) + sorted((root / "tests" / "nlu").glob("*.yml")))


@pytest.mark.parametrize("text", PHRASES["crisis"])
def test_every_crisis_phrasing_has_risk_words_so_the_model_is_never_overruled_on_it(text: str):
    assert has_risk_words(text)


def test_every_labelled_crisis_example_has_risk_words():
    missing = [text for text, intent in _nlu_examples() if intent == "express_crisis" and not has_risk_words(text)]

    assert missing == []


def test_an_unfounded_crisis_guess_is_set_aside_for_the_next_best_intent():
    message = Message({TEXT: "at jeg kan mer enn jeg trodde"})
    message.set(INTENT, {"name": "express_crisis", "confidence": 0.51})
    message.set(INTENT_RANKING_KEY, [{"name": "express_crisis", "confidence": 0.51},
                                     {"name": "explore_self_in_context", "confidence": 0.18}])
    worried = Message({TEXT: "jeg orker ikke mer"})
    worried.set(INTENT, {"name": "express_crisis", "confidence": 0.8})

    SafetyNet().process([message, worried])

    assert message.get(INTENT) == {"name": "explore_self_in_context", "confidence": 0.18}
    assert message.get(SAFETY_NET_KEY) == {"matched": False, "set_aside": "express_crisis"}
    assert worried.get(INTENT)["name"] == "express_crisis"


def test_the_net_agrees_with_every_labelled_nlu_example():
    wrong = [(text, intent) for text, intent in _nlu_examples() if is_crisis(text) != (intent == "express_crisis")]

    assert wrong == []


def test_every_crisis_rule_answers_and_flags_the_conversation_urgent():
    crisis_rules = []
    for path in sorted((PROJECT_ROOT / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            steps = rule["steps"]
            if {"intent": "express_crisis"} in steps:
                crisis_rules.append((rule["rule"], [s.get("action") for s in steps if "action" in s]))

    assert len(crisis_rules) >= 5
    for name, actions in crisis_rules:
        assert actions[:5] == ["utter_crisis_care", "utter_crisis_staff", "utter_crisis_helplines",
                               "utter_crisis_stay", "action_flag_urgent"], name
