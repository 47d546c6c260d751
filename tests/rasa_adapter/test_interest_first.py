"""An interest said in words goes to the suggestions, where the bot listens before it tests."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_adapter.interest_first import SHAPE_KEY, InterestFirst


def message(text: str, intent: str) -> Message:
    found = Message({TEXT: text})
    found.set(INTENT, {"name": intent, "confidence": 0.5})
    return found


def test_an_interest_the_model_did_not_place_becomes_a_wish_for_suggestions():
    cooking = message("jeg har alltid likt å lage mat", "out_of_scope")
    music = message("driv mykje med musikk", "nlu_fallback")

    InterestFirst().process([cooking, music])

    assert cooking.get(INTENT) == {"name": "ask_occupation_suggestions", "confidence": 1.0}
    assert music.get(SHAPE_KEY) == {"model_intent": "nlu_fallback"}


def test_questions_requests_and_crises_keep_their_intent():
    occupation = message("jeg liker å reparere biler, hva gjør en bilmekaniker", "ask_occupation_info")
    crisis = message("jeg liker ikke livet mitt lenger", "express_crisis")
    weather = message("hva blir været i morgen", "out_of_scope")

    InterestFirst().process([occupation, crisis, weather])

    assert [m.get(INTENT)["name"] for m in (occupation, crisis, weather)] == [
        "ask_occupation_info", "express_crisis", "out_of_scope"]


def test_an_interest_beside_a_dislike_is_an_interest_but_a_doubt_about_being_hired_keeps_its_answer():
    outdoors = message("liker å være ute i skogen hele dagen. orker ikke kontor", "express_hopelessness")
    hired = message("ingen vil ansette meg, liker å jobbe med hendene", "express_hopelessness")
    nothing = message("jeg liker ingenting", "express_hopelessness")

    InterestFirst().process([outdoors, hired, nothing])

    assert outdoors.get(INTENT)["name"] == "ask_occupation_suggestions"
    assert hired.get(INTENT)["name"] == "express_hopelessness"
    assert nothing.get(INTENT)["name"] == "express_hopelessness"
