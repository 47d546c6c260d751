from __future__ import annotations

from rasa_sdk import Tracker

from actions.action_ask_knapp_answer import ActionAskKnappAnswer
from actions.action_start_knapp import ActionStartKnapp
from actions.validate_knapp_form import ValidateKnappForm
from bot.guidance import knapper
from tests.conftest import load_tracker


def tracker(text: str | None = None, intent: str | None = None, entities=None, **slots) -> Tracker:
    state = load_tracker("knapp_in_progress")
    if text is not None:
        state.latest_message["text"] = text
    if intent is not None:
        state.latest_message["intent"] = {"name": intent, "confidence": 0.95}
    if entities is not None:
        state.latest_message["entities"] = entities
    state.slots.update(slots)
    return state


def test_an_answer_is_kept_and_reflected_back(dispatcher, domain):
    result = ValidateKnappForm().validate_knapp_answer("moren min og kompisen min", dispatcher, tracker(), domain)

    assert result == {
        "knapp_answer": None,
        "knapp_answers": {
            "self_in_context": {"what_matters": "familien", "who_influences": "moren min og kompisen min"}
        },
        "knapp_dont_know": False,
    }
    assert dispatcher.messages[0]["text"] == "Jeg hører deg. Du skrev: «moren min og kompisen min»."


def test_dont_know_gives_an_easier_question_first_then_moves_on(dispatcher, domain):
    first = ValidateKnappForm().validate_knapp_answer(knapper.DONT_KNOW, dispatcher, tracker("vet ikke"), domain)
    assert first == {"knapp_answer": None, "knapp_dont_know": True}

    second = ValidateKnappForm().validate_knapp_answer(
        knapper.DONT_KNOW, dispatcher, tracker("vet ikke", knapp_dont_know=True), domain
    )
    assert second["knapp_answers"]["self_in_context"]["who_influences"] is None
    assert dispatcher.messages[-1]["text"] == knapper.texts()["skip_ack"]


async def test_the_easier_question_is_asked_after_dont_know(dispatcher, domain):
    await ActionAskKnappAnswer().run(dispatcher, tracker(knapp_dont_know=True), domain)

    assert dispatcher.messages[0]["text"] == knapper.knapp("self_in_context")["questions"][1]["easier"]
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Vet ikke", "Hopp over", "Snakk om noe annet"]


def test_the_last_step_completes_the_knapp(dispatcher, domain):
    answers = {"self_in_context": {k: "x" for k in knapper.steps("self_in_context")[:-1]}}

    result = ValidateKnappForm().validate_knapp_answer(
        "snakke med skolen", dispatcher, tracker(knapp_answers=answers), domain
    )

    assert result["knapp_answer"] == "done"
    assert result["knapp_answers"]["self_in_context"]["next_step"] == "snakke med skolen"
    assert dispatcher.messages == []  # the closing questions are not acknowledged with a quote


def test_an_occupation_question_in_the_middle_is_answered_and_the_answers_kept(catalogue_db, dispatcher, domain):
    side = tracker(
        text="hva gjør en tømrer", intent="ask_occupation_info", entities=[{"entity": "occupation", "value": "tomrer"}]
    )

    result = ValidateKnappForm().validate_knapp_answer("hva gjør en tømrer", dispatcher, side, domain)

    assert result["knapp_answer"] is None and "knapp_answers" not in result
    assert result["occupation_slug"] == "tomrer"
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("En tømrer") and texts[-1] == "Da går vi tilbake til spørsmålet."


def test_a_knapp_button_switches_knapp(dispatcher, domain):
    result = ValidateKnappForm().validate_knapp_answer(
        "/explore_choice_and_chance",
        dispatcher,
        tracker(text="/explore_choice_and_chance", intent="explore_choice_and_chance"),
        domain,
    )

    assert result == {"knapp_answer": None, "current_knapp": "choice_and_chance", "knapp_dont_know": False}


async def test_coming_back_to_a_knapp_continues_where_the_user_left(dispatcher, domain):
    events = await ActionStartKnapp().run(dispatcher, tracker(intent="explore_self_in_context"), domain)

    assert dispatcher.messages[0]["text"] == "Vi fortsetter der du slapp."
    assert {"event": "slot", "timestamp": None, "name": "current_knapp", "value": "self_in_context"} in events


def test_an_answer_that_names_an_occupation_is_kept_as_an_answer(catalogue_db, dispatcher, domain):
    answers = {"self_in_context": {k: "x" for k in knapper.steps("self_in_context")[:-1]}}
    said = tracker(
        text="spørre skolen om fagbrev som bilmekaniker",
        intent="ask_education_path",
        entities=[{"entity": "occupation", "value": "bilmekaniker"}],
        knapp_answers=answers,
    )

    result = ValidateKnappForm().validate_knapp_answer(
        "spørre skolen om fagbrev som bilmekaniker", dispatcher, said, domain
    )

    assert result["knapp_answer"] == "done"
    assert result["knapp_answers"]["self_in_context"]["next_step"] == "spørre skolen om fagbrev som bilmekaniker"


def test_the_closing_questions_have_easier_versions_too():
    assert knapper.question("self_in_context", 5, easier=True) == knapper.texts()["next_step_easier"]


def test_starting_a_knapp_by_typing_its_name_asks_the_first_question(dispatcher, domain):
    """«Meg i kontekst» typed, not clicked: the knapp starts; nothing is recorded as an answer."""
    started = tracker(text="Meg i kontekst", intent="explore_self_in_context", knapp_answers=None)

    result = ValidateKnappForm().validate_knapp_answer(None, dispatcher, started, domain)

    assert result == {"knapp_answer": None, "current_knapp": "self_in_context", "knapp_dont_know": False}
    assert dispatcher.messages == []


def test_a_knapp_that_begins_with_nothing_typed_records_no_answer(dispatcher, domain):
    result = ValidateKnappForm().validate_knapp_answer(
        None, dispatcher, tracker(text="la oss snakke om meg", intent="explore_self_in_context"), domain
    )

    assert result == {"knapp_answer": None}
    assert dispatcher.messages == []


def test_typing_another_knapps_name_switches_to_it(dispatcher, domain):
    typed = tracker(text="valg og tilfeldigheter!", intent="explore_choice_and_chance")

    result = ValidateKnappForm().validate_knapp_answer("valg og tilfeldigheter!", dispatcher, typed, domain)

    assert result == {"knapp_answer": None, "current_knapp": "choice_and_chance", "knapp_dont_know": False}
    assert dispatcher.messages[0]["text"] == knapper.knapp("choice_and_chance")["explanation"]


def test_knapp_names_are_recognised_in_the_ways_people_type_them():
    assert knapper.named("Meg i kontekst") == "self_in_context"
    assert knapper.named("  endring og STABILITET ") == "change_and_stability"
    assert knapper.named("muligheter og begrensninger.") == "chances_and_limits"
    assert knapper.named("meg og familien min") is None
    assert knapper.named("") is None


def test_an_occupation_question_inside_a_knapp_is_answered_then_the_question_comes_back(catalogue_db, dispatcher,
                                                                                       domain):
    """The model marked only «operatør» in «cnc operatør»: the answer is about the CNC operator, not a choice."""
    entities = [{"entity": "occupation", "value": "operatør", "start": 15, "end": 23}]
    state = tracker("hva gjør en cnc operatør egentlig", "ask_occupation_info", entities)
    state.latest_message["intent"]["confidence"] = 0.97

    result = ValidateKnappForm().validate_knapp_answer("hva gjør en cnc operatør egentlig", dispatcher, state, domain)

    assert result == {"knapp_answer": None, "occupation_slug": "cnc-operator", "occupations_viewed": ["cnc-operator"]}
    texts = [message["text"] for message in dispatcher.messages]
    assert texts[0].startswith("En CNC-operatør") and texts[1].startswith("Typiske oppgaver")
    assert texts[-1] == knapper.texts()["back_to_question"] and len(texts) == 3
    assert all(not message.get("buttons") for message in dispatcher.messages)
