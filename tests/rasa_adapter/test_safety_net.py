"""The safety net on a parsed message: the patterns win over the model; the model's guess alone only asks."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_adapter.safety_net import SafetyNet
from bot.safety.assessment import PARSE_KEY


def message(text: str, ranking: list[tuple[str, float]]) -> Message:
    found = Message({TEXT: text})
    found.set(INTENT, {"name": ranking[0][0], "confidence": ranking[0][1]})
    found.set(INTENT_RANKING_KEY, [{"name": n, "confidence": c} for n, c in ranking])
    return found


def test_a_clear_crisis_becomes_the_crisis_intent_whatever_the_model_said():
    clear = message("jeg vil ta livet mitt", [("ask_help", 0.9), ("greet", 0.1)])

    SafetyNet().process([clear])

    assert clear.get(INTENT) == {"name": "express_crisis", "confidence": 1.0}
    assert clear.get(PARSE_KEY)["level"] == "crisis"


def test_a_misheard_positive_sentence_gets_the_models_next_intent_and_no_question():
    positive = message("jeg kan mer enn jeg trodde", [("express_crisis", 0.66), ("ask_privacy", 0.06)])

    SafetyNet().process([positive])

    assert positive.get(INTENT) == {"name": "ask_privacy", "confidence": 0.06}
    assert positive.get(PARSE_KEY)["level"] is None


def test_the_models_guess_on_a_message_with_some_sign_still_asks():
    hint = message("det er noe jeg må si", [("express_crisis", 0.7), ("out_of_scope", 0.2)])

    SafetyNet().process([hint])

    assert hint.get(INTENT)["name"] == "express_crisis"
    assert hint.get(PARSE_KEY)["level"] == "possible"
