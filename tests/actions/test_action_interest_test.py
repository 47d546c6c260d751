from __future__ import annotations

from rasa_sdk import Tracker

from actions.action_ask_interest_answer import ActionAskInterestAnswer
from actions.action_interest_result import ActionInterestResult
from actions.validate_interest_form import ValidateInterestForm
from tests.conftest import load_tracker


def with_scores(scores: list[str]) -> Tracker:
    tracker = load_tracker("interest_test_last_answer")
    tracker.slots["interest_scores"] = scores
    return tracker


async def test_the_first_question_explains_the_test_and_offers_four_buttons(dispatcher, domain):
    events = await ActionAskInterestAnswer().run(dispatcher, with_scores([]), domain)

    assert events == []
    texts = [m["text"] for m in dispatcher.messages]
    assert texts == [
        "Jeg viser deg 12 korte setninger. Svar hvor godt hver setning passer for deg. Det finnes ingen feil svar.",
        "Setning 1 av 12.",
        "Passer dette for deg? «Jeg liker å jobbe med hendene og bruke verktøy.»",
    ]
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [
        "/affirm", "/answer_somewhat", "/deny", "/skip_question",
    ]


def test_an_answer_is_kept_and_the_next_statement_requested(dispatcher, domain):
    result = ValidateInterestForm().validate_interest_answer("1", dispatcher, with_scores(["2"]), domain)

    assert result == {"interest_answer": None, "interest_scores": ["2", "1"]}
    assert dispatcher.messages == []


def test_the_last_answer_completes_the_test(dispatcher, domain):
    result = ValidateInterestForm().validate_interest_answer("passer ikke", dispatcher, with_scores(["2"] * 11), domain)

    assert result == {"interest_answer": "done", "interest_scores": ["2"] * 11 + ["0"]}


def test_something_else_is_asked_again_with_a_hint(dispatcher, domain):
    result = ValidateInterestForm().validate_interest_answer("banan", dispatcher, with_scores(["2"]), domain)

    assert result == {"interest_answer": None}
    assert dispatcher.messages[0]["text"].startswith("Svar med et tall: 1 passer godt")


async def test_the_result_suggests_occupations_as_buttons_and_resets_the_test(catalogue_db, dispatcher, domain):
    tracker = load_tracker("interest_test_last_answer")

    events = await ActionInterestResult().run(dispatcher, tracker, domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "interest_answer", "value": None},
        {"event": "slot", "timestamp": None, "name": "interest_scores", "value": None},
        {"event": "slot", "timestamp": None, "name": "interest_profile", "value": "RI"},
    ]
    assert dispatcher.messages[0]["text"] == (
        "Du liker best å jobbe med hendene og finne ut av ting. Her er noen yrker som kan passe:"
    )
    buttons = dispatcher.messages[-1]["buttons"]
    assert len(buttons) == 5 and all(b["payload"].startswith("/ask_occupation_info{") for b in buttons)
