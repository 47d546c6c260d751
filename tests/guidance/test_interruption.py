"""One interruption mechanism for every form: no form reads a request as its answer, every form can be resumed."""

from __future__ import annotations

import pytest

from bot.guidance import interruption
from bot.paths import PROJECT_ROOT, read_yaml

DOMAIN = read_yaml(PROJECT_ROOT / "domain.yml")
RULES = read_yaml(PROJECT_ROOT / "data" / "rules" / "interruptions.yml")["rules"]


def free_text_mappings() -> list[tuple[str, str, dict]]:
    """(slot, form, mapping) for every slot a form fills from any text."""
    found = []
    for slot, spec in DOMAIN["slots"].items():
        for mapping in spec.get("mappings") or []:
            if mapping.get("type") == "from_text":
                for condition in mapping.get("conditions") or []:
                    found.append((slot, condition["active_loop"], mapping))
    return found


def test_every_form_can_be_paused():
    assert set(DOMAIN["forms"]) == set(interruption.PAUSABLE)


def _id(value: object) -> str:
    return value if isinstance(value, str) else ""


@pytest.mark.parametrize(("slot", "form", "mapping"), free_text_mappings(), ids=_id)
def test_no_form_reads_a_request_as_its_answer(slot: str, form: str, mapping: dict):
    missing = set(interruption.REQUESTS) - set(mapping.get("not_intent") or [])
    assert not missing, f"{slot} in {form} would take {sorted(missing)} as an answer"


def test_every_pausable_form_has_a_rule_to_go_back_to_it():
    resumed = {step["action"] for rule in RULES for step in rule["steps"]
               if "action" in step and step["action"] in interruption.PAUSABLE}
    assert resumed == set(interruption.PAUSABLE)


@pytest.mark.parametrize("form", interruption.PAUSABLE)
def test_a_paused_form_is_offered_whatever_came_before(form: str):
    assert interruption.offer_after(form, "utter_help") == "utter_offer_resume"
    assert interruption.resume_choice(form) == form
    assert interruption.decline_choice(form) == interruption.DECLINED


def test_with_nothing_paused_each_request_ends_as_it_did_before():
    assert interruption.offer_after(None, "utter_help") == "utter_menu"
    assert interruption.offer_after(None, "action_show_plan") is None
    assert interruption.offer_after(None, "action_request_handover") is None
    assert interruption.offer_after(None, "utter_privacy_details") == "utter_anything_else"
    assert interruption.form_to_pause("some_other_loop") is None
    assert interruption.resume_choice(None) == interruption.decline_choice(None) == interruption.NOTHING


def test_the_resuming_slot_knows_every_choice():
    values = set(DOMAIN["slots"]["resuming"]["values"])
    assert values == {*interruption.PAUSABLE, interruption.DECLINED, interruption.NOTHING}


def test_the_offer_is_one_question_with_a_button_for_each_answer():
    offer = DOMAIN["responses"]["utter_offer_resume"][0]
    assert offer["text"].count("?") == 1
    assert [b["payload"] for b in offer["buttons"]] == ["/resume_form", "/deny"]



def _examples(folder: str) -> list[tuple[str, str]]:
    from bot.safety.classifier import nlu_examples

    return [(i, t) for i, t in nlu_examples(PROJECT_ROOT / folder) if i in interruption.REQUESTS]


@pytest.mark.parametrize("folder", ["data/nlu", "tests/nlu"])
def test_the_ways_people_ask_for_something_say_what_they_ask_for(folder: str):
    """Requests written by the NLU data's authors count as requests inside a form too (the ask_help
    examples about how the bot works are the widest kind; a few may fall through and become answers)."""
    examples = _examples(folder)
    missed = [(i, t) for i, t in examples if not interruption.looks_like_request(i, t)]
    assert len(examples) > 100 and len(missed) <= 0.02 * len(examples), missed


@pytest.mark.parametrize(("intent", "text"), [
    ("ask_privacy", "at jeg kan lese bedre"), ("ask_privacy", "lære meg å lese"),
    ("ask_help", "be om hjelp med gjelda"), ("delete_my_data", "jeg vil slette gjelda"),
    ("request_human", "humoren min"), ("request_human", "lage cv med læreren"),
    ("request_human", "læreren på verkstedet"),
])
def test_answers_the_model_took_for_requests_stay_answers(intent: str, text: str):
    assert not interruption.looks_like_request(intent, text)


def test_buttons_and_crises_always_count():
    assert interruption.looks_like_request("ask_help", "/ask_help")
    assert interruption.looks_like_request("express_crisis", "humoren min")


def test_leaving_inside_a_form_must_say_so_too():
    assert interruption.looks_like_request("goodbye", "stopp")
    assert not interruption.looks_like_request("goodbye", "slutte å røyke")
    assert interruption.resume_choice(None, "knapp_form") == "knapp_form"


def test_help_in_a_sentence_about_something_else_is_an_answer():
    assert not interruption.looks_like_request("ask_help", "struktur hjelper meg")
    assert interruption.looks_like_request("ask_help", "trenger hjelp")


@pytest.mark.parametrize("text", ["snakke med læreren min", "jeg vil prate med lærer for karriere. mulig?",
                                  "i want to talk to a teacher"])
def test_a_teacher_to_talk_to_is_a_request(text: str):
    assert interruption.looks_like_request("request_human", text)
