"""Questions about an occupation are recognised by their shape, also when the occupation is unknown."""

from __future__ import annotations

import pytest

from bot.catalogue.question_shapes import occupation_question_intent


@pytest.mark.parametrize(("text", "intent"), [
    ("hva gjør en sirkusartist", "ask_occupation_info"),
    ("ka gjør en takstmann", "ask_occupation_info"),
    ("hva tjener en billettkontrollør", "ask_occupation_info"),
    ("hvordan blir jeg parkeringsvakt", "ask_education_path"),
    ("korleis blir eg urmakar", "ask_education_path"),
    ("kan jeg bli eventkoordinator", "ask_education_path"),
    ("trenger jeg politiattest som taxisjåfør", "ask_politiattest"),
    ("nei vent, jeg mente murer", "ask_occupation_info"),
    ("ja, hva gjør en murer", "ask_occupation_info"),
    ("tatovør. hva må man kunne for å jobbe med det", "ask_occupation_info"),
    ("sveiser? hvordan blir man det", "ask_education_path"),
    ("finnes det utdanning til youtuber", "ask_education_path"),
])
def test_the_shape_of_an_occupation_question_gives_its_intent(text: str, intent: str):
    assert occupation_question_intent(text) == intent


@pytest.mark.parametrize("text", [
    "hvordan går det", "hva gjør du", "hva er været i morgen", "kan jeg få hjelp", "hva tjener man", "/greet", "", None,
    "nei", "ja takk", "nei, jeg mente det ikke sånn", "nei jeg mener bare at jeg er sliten", "ok. hva med det",
    "finnes det skole her",
])
def test_other_questions_have_no_occupation_shape(text):
    assert occupation_question_intent(text) is None


@pytest.mark.parametrize("text", ["jeg vil bli mekaniker", "har lyst å bli kokk", "kan man bli dykker",
                                  "vil bli lærer", "i want to become a welder"])
def test_a_wish_to_become_an_occupation_is_a_question_about_the_route(text: str):
    assert occupation_question_intent(text) == "ask_education_path"


@pytest.mark.parametrize("text", ["jeg vil bli bedre", "jeg vil bli frisk", "jeg vil bli rusfri",
                                  "jeg vil bli løslatt", "jeg vil bli en bedre far", "jeg vil bli sterkere"])
def test_a_wish_to_become_something_else_is_not_an_occupation(text: str):
    assert occupation_question_intent(text) is None


@pytest.mark.parametrize(("text", "intent"), [
    ("haha ok. hva gjør en fotograf da", "ask_occupation_info"),
    ("tjener man bra som lege eller er det bare noe folk sier", "ask_occupation_info"),
    ("kan jeg gå på skole her inne for å bli kokk", "ask_education_path"),
])
def test_each_sentence_of_a_message_is_read_on_its_own(text: str, intent: str):
    assert occupation_question_intent(text) == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("når jeg slipper ut vil jeg kjøre lastebil. hvordan får jeg det til?", "ask_education_path"),
    ("har lyst å kjøre taxi når jeg slipper ut, men har jo dom. går det?", "ask_politiattest"),
])
def test_driving_a_vehicle_for_a_living_is_an_occupation_question(text: str, intent: str):
    assert occupation_question_intent(text) == intent
