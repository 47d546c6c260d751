"""An occupation question that also mentions getting out stays an occupation question."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_adapter.occupation_first import TRANSITION_KEY, OccupationFirst


def message(text: str, intent: str, occupation: str | None = None) -> Message:
    found = Message({TEXT: text})
    found.set(INTENT, {"name": intent, "confidence": 0.7})
    found.set(ENTITIES, [{"entity": "occupation", "value": occupation}] if occupation else [])
    return found


def test_an_occupation_named_with_getting_out_is_answered_as_the_route():
    both = message("hvordan blir jeg tømrer når jeg slipper ut", "discuss_transition", "tomrer")
    only_out = message("jeg slipper ut snart og gruer meg", "discuss_transition")
    plain = message("hva gjør en tømrer", "ask_occupation_info", "tomrer")

    OccupationFirst().process([both, only_out, plain])

    assert both.get(INTENT) == {"name": "ask_education_path", "confidence": 0.7} and both.get(TRANSITION_KEY)
    assert only_out.get(INTENT)["name"] == "discuss_transition" and only_out.get(TRANSITION_KEY)
    assert plain.get(INTENT)["name"] == "ask_occupation_info" and plain.get(TRANSITION_KEY) is None


def test_a_question_about_an_unknown_occupation_reaches_the_catalogue_instead_of_the_fallback():
    unknown = message("hva gjør en sirkusartist", "out_of_scope")
    route = message("hvordan blir jeg parkeringsvakt", "nlu_fallback")
    weather = message("hva er været i morgen", "out_of_scope")
    taken_for_a_topic = message("hva gjør en tollkontrollør", "discuss_transition")
    crisis = message("hva gjør en som vil dø", "express_crisis")

    OccupationFirst().process([unknown, route, weather, taken_for_a_topic, crisis])

    assert taken_for_a_topic.get(INTENT)["name"] == "ask_occupation_info"
    assert crisis.get(INTENT)["name"] == "express_crisis"  # never overruled
    assert unknown.get(INTENT) == {"name": "ask_occupation_info", "confidence": 1.0}
    assert route.get(INTENT)["name"] == "ask_education_path"
    assert weather.get(INTENT)["name"] == "out_of_scope"


def test_a_wish_to_become_a_named_occupation_is_about_that_occupation_not_suggestions():
    mechanic = message("jeg vil bli mekaniker", "ask_occupation_suggestions")
    anything = message("hva slags jobb passer for meg", "ask_occupation_suggestions")

    OccupationFirst().process([mechanic, anything])

    assert mechanic.get(INTENT)["name"] == "ask_education_path"
    assert anything.get(INTENT)["name"] == "ask_occupation_suggestions"


def test_an_occupation_named_settles_a_hesitation_between_an_occupation_question_and_something_else():
    from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_adapter.occupation_first import OccupationFirst

    def hesitant(text: str, second: str, entities: list[dict[str, str]]) -> Message:
        found = Message({TEXT: text})
        found.set(INTENT, {"name": "nlu_fallback", "confidence": 0.45})
        found.set(INTENT_RANKING_KEY, [{"name": "nlu_fallback", "confidence": 0.45},
                                       {"name": second, "confidence": 0.45}, {"name": "greet", "confidence": 0.1}])
        found.set(ENTITIES, entities)
        return found

    welder = hesitant("I want to become a welder when I get out. how do I do it", "ask_education_path",
                      [{"entity": "occupation", "value": "sveiser"}])
    no_occupation = hesitant("how do I do it", "ask_education_path", [])
    not_a_question = hesitant("I hate being a welder", "express_hopelessness",
                              [{"entity": "occupation", "value": "sveiser"}])
    OccupationFirst().process([welder, no_occupation, not_a_question])

    assert welder.get(INTENT)["name"] == "ask_education_path"
    assert no_occupation.get(INTENT)["name"] == "nlu_fallback" and not_a_question.get(INTENT)["name"] == "nlu_fallback"


def test_an_occupation_question_the_model_took_for_help_is_an_occupation_question():
    from rasa.shared.nlu.constants import INTENT, TEXT
    from rasa.shared.nlu.training_data.message import Message

    from bot.rasa_adapter.occupation_first import OccupationFirst

    def asked(text: str) -> Message:
        found = Message({TEXT: text})
        found.set(INTENT, {"name": "ask_help", "confidence": 0.72})
        return found

    astronaut, about_the_bot, lost = asked("hva gjør en astronaut"), asked("hva gjør du her"), asked("hjelp")
    OccupationFirst().process([astronaut, about_the_bot, lost])

    assert astronaut.get(INTENT)["name"] == "ask_occupation_info"
    assert about_the_bot.get(INTENT)["name"] == "ask_help" and lost.get(INTENT)["name"] == "ask_help"


def test_a_wish_for_a_person_without_a_word_of_one_gives_way_to_an_occupation_question():
    misheard = message("haha ok. hva gjør en fotograf da", "request_human")
    asked = message("kan jeg snakke med en veileder om hva en fotograf gjør", "request_human")
    correction = message("nei vent, jeg mente murer", "deny", "murer")

    OccupationFirst().process([misheard, asked, correction])

    assert misheard.get(INTENT)["name"] == "ask_occupation_info"
    assert asked.get(INTENT)["name"] == "request_human"  # it says what it asks for
    assert correction.get(INTENT)["name"] == "ask_occupation_info"


def test_a_question_not_understood_goes_to_the_occupation_question_the_model_leaned_to():
    asking = message("jeg ønsker jobb renhold. hva er det jobben, må ha papir?", "nlu_fallback")
    asking.set(INTENT_RANKING_KEY, [{"name": "nlu_fallback", "confidence": 0.45},
                                    {"name": "ask_occupation_info", "confidence": 0.35}])
    statement = message("jeg ønsker jobb renhold", "nlu_fallback")
    statement.set(INTENT_RANKING_KEY, [{"name": "nlu_fallback", "confidence": 0.45},
                                       {"name": "ask_occupation_info", "confidence": 0.35}])

    OccupationFirst().process([asking, statement])

    assert asking.get(INTENT)["name"] == "ask_occupation_info"
    assert statement.get(INTENT)["name"] == "nlu_fallback"  # no question, no occupation named
