"""Correcting «min plan»: the exact questions, the slots filled, and the plan shown after the change."""

from __future__ import annotations

from actions.action_apply_plan_edit import ActionApplyPlanEdit
from actions.action_ask_plan_line import ActionAskPlanLine
from actions.action_show_plan import ActionShowPlan
from actions.validate_plan_edit_form import ValidatePlanEditForm
from tests.conftest import load_tracker

RESET = [
    {"event": "slot", "timestamp": None, "name": "plan_line", "value": None},
    {"event": "slot", "timestamp": None, "name": "plan_edit_choice", "value": None},
    {"event": "slot", "timestamp": None, "name": "plan_new_text", "value": None},
]


async def test_the_lines_are_offered_as_numbered_buttons(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots["requested_slot"] = None

    assert await ActionAskPlanLine().run(dispatcher, tracker, domain) == []

    [message] = dispatcher.messages
    assert message["text"] == "Hvilken linje vil du rette eller fjerne? Trykk på den, eller skriv nummeret."
    assert [(b["title"], b["payload"]) for b in message["buttons"]] == [
        ("Meg i kontekst: familien", "1"), ("Meg i kontekst: Neste steg: ringe NAV", "2"), ("Yrke: Kokk", "3"),
        ("Avbryt", "/deny"),
    ]


async def test_a_wrong_number_is_asked_again_gently(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")

    assert ValidatePlanEditForm().validate_plan_line("9", dispatcher, tracker, domain) == {"plan_line": None}
    await ActionAskPlanLine().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("Jeg fant ikke den linjen.")


def test_the_typed_number_picks_the_line(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")

    assert ValidatePlanEditForm().validate_plan_line("2", dispatcher, tracker, domain) == {
        "plan_line": "a|self_in_context|next_step"
    }


def test_removing_needs_no_new_words_and_cancelling_fills_everything(dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    form = ValidatePlanEditForm()

    assert form.validate_plan_edit_choice("fjern", dispatcher, tracker, domain) == {
        "plan_edit_choice": "fjern", "plan_new_text": "-"}
    assert form.validate_plan_edit_choice("endre", dispatcher, tracker, domain) == {"plan_edit_choice": "endre"}
    assert form.validate_plan_line("avbryt", dispatcher, tracker, domain) == {
        "plan_line": "avbryt", "plan_edit_choice": "avbryt", "plan_new_text": "-"}


async def test_an_empty_plan_asks_nothing(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots.update(knapp_answers=None, occupations_viewed=None)

    slots = await ValidatePlanEditForm().required_slots(
        ["plan_line", "plan_edit_choice", "plan_new_text"], dispatcher, tracker, domain)

    assert slots == []


async def test_correcting_an_empty_plan_says_so_and_offers_the_menu(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots.update(knapp_answers=None, occupations_viewed=None, requested_slot=None)

    assert await ActionApplyPlanEdit().run(dispatcher, tracker, domain) == RESET
    assert dispatcher.messages[0]["text"] == (
        "Planen din er tom ennå, så det er ingenting å rette. Vi fyller den sammen når du velger en knapp.")
    assert dispatcher.messages[1]["response"] == "utter_menu"
    assert len(dispatcher.messages) == 2


async def test_correcting_an_empty_plan_inside_a_knapp_leaves_the_offer_to_go_back(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots.update(knapp_answers=None, occupations_viewed=None, paused_form="knapp_form")

    assert await ActionApplyPlanEdit().run(dispatcher, tracker, domain) == RESET
    assert [m["text"] for m in dispatcher.messages] == [
        "Planen din er tom ennå, så det er ingenting å rette. Vi fyller den sammen når du velger en knapp."]


async def test_a_rewritten_line_is_saved_and_the_new_plan_shown(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots.update(plan_line="a|self_in_context|what_matters", plan_edit_choice="endre",
                         plan_new_text="datteren min", requested_slot=None)

    events = await ActionApplyPlanEdit().run(dispatcher, tracker, domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "knapp_answers",
         "value": {"self_in_context": {"what_matters": "datteren min", "next_step": "ringe NAV"}}},
        *RESET,
    ]
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0] == "Takk. Jeg har endret linjen."
    assert "Meg i kontekst:\n- datteren min" in "\n".join(texts)
    assert texts[-1] == "Hva vil du gjøre nå?"


async def test_a_removed_occupation_leaves_the_plan(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots.update(plan_line="o|kokk", plan_edit_choice="fjern", plan_new_text="-")

    events = await ActionApplyPlanEdit().run(dispatcher, tracker, domain)

    assert events[0] == {"event": "slot", "timestamp": None, "name": "occupations_viewed", "value": []}
    assert dispatcher.messages[0]["text"] == "Ferdig. Linjen er fjernet fra planen."
    assert "Kokk" not in "\n".join(m["text"] for m in dispatcher.messages)


async def test_cancelling_changes_nothing(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.slots.update(plan_line="avbryt", plan_edit_choice="avbryt", plan_new_text="-")

    assert await ActionApplyPlanEdit().run(dispatcher, tracker, domain) == RESET
    assert dispatcher.messages[0]["text"] == "Greit. Planen er som før."


async def test_the_plan_offers_correcting_only_when_there_is_something_to_correct(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    await ActionShowPlan().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["buttons"][0]["payload"] == "/edit_plan"

    dispatcher.messages.clear()
    tracker.slots.update(knapp_answers=None, occupations_viewed=None)
    await ActionShowPlan().run(dispatcher, tracker, domain)
    assert "/edit_plan" not in [b["payload"] for b in dispatcher.messages[-1]["buttons"]]


def test_a_line_already_chosen_is_kept_when_the_form_is_taken_up_again(catalogue_db, dispatcher, domain):
    tracker = load_tracker("plan_edit_choosing_line")
    chosen = ValidatePlanEditForm().validate_plan_line("3", dispatcher, tracker, domain)["plan_line"]

    again = ValidatePlanEditForm().validate_plan_line(chosen, dispatcher, tracker, domain)

    assert again == {"plan_line": chosen} and chosen is not None


def test_words_of_one_line_heard_as_no_pick_that_line(catalogue_db, dispatcher, domain):
    """«nav» would be too short; «ringe» is in one line only: the model's «nei» is not a cancel."""
    tracker = load_tracker("plan_edit_choosing_line")
    tracker.latest_message = {"text": "ringe", "intent": {"name": "deny", "confidence": 0.5}, "entities": []}

    assert ValidatePlanEditForm().validate_plan_line("avbryt", dispatcher, tracker, domain) == {
        "plan_line": "a|self_in_context|next_step"
    }
    tracker.latest_message = {"text": "nei", "intent": {"name": "deny", "confidence": 0.99}, "entities": []}
    assert ValidatePlanEditForm().validate_plan_line("avbryt", dispatcher, tracker, domain)["plan_line"] == "avbryt"
