"""The shared interruption step: pause the form, offer to go back, go back or let it go."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.action_decline_resume import ActionDeclineResume
from actions.action_offer_resume import ActionOfferResume
from actions.action_pause_form import ActionPauseForm
from actions.action_resume_form import ActionResumeForm
from tests.conftest import load_tracker


def with_intent(tracker: Tracker, intent: str, text: str) -> Tracker:
    tracker.latest_message = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": []}
    return tracker


async def test_a_request_pauses_the_active_form_and_remembers_it(dispatcher, domain):
    events = await ActionPauseForm().run(dispatcher, load_tracker("request_inside_knapp"), domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "paused_form", "value": "knapp_form"},
        {"event": "active_loop", "timestamp": None, "name": None},
        {"event": "slot", "timestamp": None, "name": "requested_slot", "value": None},
    ]
    assert dispatcher.messages == []


async def test_with_no_form_active_nothing_is_paused(dispatcher, domain):
    tracker = load_tracker("new_conversation")

    assert await ActionPauseForm().run(dispatcher, tracker, domain) == []


async def test_after_the_request_the_user_is_offered_to_go_back(dispatcher, domain):
    events = await ActionOfferResume().run(dispatcher, load_tracker("knapp_paused_after_privacy"), domain)

    assert events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_resume"]


async def test_with_nothing_paused_the_usual_next_step_follows(dispatcher, domain):
    tracker = load_tracker("knapp_paused_after_privacy")
    tracker.slots["paused_form"] = None

    await ActionOfferResume().run(dispatcher, tracker, domain)

    assert [m["response"] for m in dispatcher.messages] == ["utter_anything_else"]


async def test_yes_goes_back_to_the_paused_form(dispatcher, domain):
    tracker = with_intent(load_tracker("knapp_paused_after_privacy"), "affirm", "ja")

    events = await ActionResumeForm().run(dispatcher, tracker, domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "resuming", "value": "knapp_form"},
        {"event": "slot", "timestamp": None, "name": "paused_form", "value": None},
    ]
    assert [m["response"] for m in dispatcher.messages] == ["utter_resuming"]


async def test_fortsett_with_nothing_paused_says_so_and_the_menu_follows(dispatcher, domain):
    tracker = with_intent(load_tracker("new_conversation"), "resume_form", "fortsett")

    events = await ActionResumeForm().run(dispatcher, tracker, domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "resuming", "value": "nothing"},
        {"event": "slot", "timestamp": None, "name": "paused_form", "value": None},
    ]
    assert [m["response"] for m in dispatcher.messages] == ["utter_nothing_to_resume"]


async def test_no_lets_the_paused_form_go_and_says_the_answers_are_kept(dispatcher, domain):
    tracker = with_intent(load_tracker("knapp_paused_after_privacy"), "deny", "nei")

    events = await ActionDeclineResume().run(dispatcher, tracker, domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "resuming", "value": "declined"},
        {"event": "slot", "timestamp": None, "name": "paused_form", "value": None},
    ]
    assert [m["response"] for m in dispatcher.messages] == ["utter_resume_declined"]


async def test_no_with_nothing_paused_is_no_to_anything_else(dispatcher, domain):
    tracker = with_intent(load_tracker("new_conversation"), "deny", "nei")

    events = await ActionDeclineResume().run(dispatcher, tracker, domain)

    assert events[0] == {"event": "slot", "timestamp": None, "name": "resuming", "value": "nothing"}
    assert dispatcher.messages == []


async def test_inside_a_form_a_message_that_only_sounds_like_a_request_is_an_answer(dispatcher, domain):
    from actions.validate_knapp_form import ValidateKnappForm

    tracker = with_intent(load_tracker("knapp_in_progress"), "ask_privacy", "at jeg kan lese bedre")
    tracker.latest_message["intent"]["confidence"] = 0.97

    events = await ValidateKnappForm().run(dispatcher, tracker, domain)

    kept = next(e for e in events if e.get("name") == "knapp_answers")
    assert kept["value"]["self_in_context"]["who_influences"] == "at jeg kan lese bedre"


async def test_inside_a_form_a_clear_request_is_left_to_the_interruption_step(dispatcher, domain):
    from actions.validate_knapp_form import ValidateKnappForm

    tracker = with_intent(load_tracker("knapp_in_progress"), "ask_privacy", "hvem kan lese dette")

    events = await ValidateKnappForm().run(dispatcher, tracker, domain)

    assert not any(e.get("name") in ("knapp_answer", "knapp_answers") for e in events)


async def test_fortsett_inside_an_active_form_asks_its_question_again(dispatcher, domain):
    tracker = with_intent(load_tracker("knapp_in_progress"), "resume_form", "kan vi fortsette")

    events = await ActionResumeForm().run(dispatcher, tracker, domain)

    assert events[0] == {"event": "slot", "timestamp": None, "name": "resuming", "value": "knapp_form"}
