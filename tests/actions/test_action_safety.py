"""The safety answer in every level and setting: exact messages, exact events, the queue entry."""

from __future__ import annotations

from actions.action_respond_to_safety import ActionRespondToSafety
from actions.action_safety_check_answer import ActionSafetyCheckAnswer
from bot.handover import queue as handover
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables
from tests.conftest import load_tracker


def _slot(name: str, value: object) -> dict[str, object]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


STOP_FORM = [{"event": "active_loop", "timestamp": None, "name": None}, _slot("requested_slot", None)]
# The message went to the safety step: the form's requested slot, filled from it by Rasa, is emptied.
FORGET = _slot("knapp_answer", None)


def _responses(dispatcher) -> list[str]:
    return [m["response"] for m in dispatcher.messages]


def _entry(sender: str):
    with session_factory().begin() as session:
        entry = handover.open_handoff_for(sender, session=session)
        return None if entry is None else (entry.reason, bool(entry.urgent))


async def test_a_crisis_in_a_knapp_gets_care_stops_the_form_and_is_urgent(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)
    with session_factory().begin() as session:
        handover.request_handoff("someone-else", session=session)

    events = await ActionRespondToSafety().run(dispatcher, load_tracker("safety_crisis_in_knapp"), domain)

    assert _responses(dispatcher) == [
        "utter_crisis_care", "utter_crisis_staff", "utter_crisis_helplines", "utter_crisis_stay"]
    assert events == [
        _slot("safety_level", "crisis"), FORGET, _slot("urgent", True), _slot("safety_check", None), *STOP_FORM]
    assert _entry("t-krise") == ("crisis", True)
    with session_factory().begin() as session:
        assert handover.queue(session=session)[0].sender_id == "t-krise"


async def test_on_the_web_the_crisis_answer_gives_emergency_numbers_instead_of_staff(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    events = await ActionRespondToSafety().run(dispatcher, load_tracker("safety_crisis_on_web"), domain)

    assert _responses(dispatcher) == [
        "utter_crisis_care", "utter_crisis_urgent_web", "utter_crisis_helplines_web", "utter_crisis_stay"]
    assert events == [_slot("safety_level", "crisis"), _slot("urgent", True), _slot("safety_check", None)]
    texts = {name: variants[0]["text"] for name, variants in domain["responses"].items()}
    assert "113" in texts["utter_crisis_urgent_web"] and "116 117" in texts["utter_crisis_urgent_web"]
    assert "betjent" not in texts["utter_crisis_urgent_web"]
    assert "116 123" in texts["utter_crisis_helplines_web"] and "113" not in texts["utter_crisis_helplines_web"]


async def test_a_threat_gets_a_calm_answer_and_an_urgent_entry_marked_threat(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    events = await ActionRespondToSafety().run(dispatcher, load_tracker("safety_threat"), domain)

    assert _responses(dispatcher) == ["utter_threat_calm", "utter_threat_staff", "utter_threat_stay"]
    assert events == [
        _slot("safety_level", "threat"), FORGET, _slot("urgent", True), _slot("safety_check", None), *STOP_FORM]
    assert _entry("t-trussel") == ("threat", True)
    texts = {name: variants[0]["text"] for name, variants in domain["responses"].items()}
    assert "116 123" not in texts["utter_threat_staff"], "a threat does not get the suicide help lines"


async def test_a_possible_sign_asks_one_direct_question_and_keeps_the_form(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    events = await ActionRespondToSafety().run(dispatcher, load_tracker("safety_possible_in_knapp"), domain)

    assert _responses(dispatcher) == ["utter_safety_check"]
    assert events == [_slot("safety_level", "possible"), FORGET, _slot("safety_check", "asked")]
    assert _entry("t-mulig") == ("safety_check", False)
    question = domain["responses"]["utter_safety_check"][0]
    assert question["text"].startswith("Jeg vil spørre deg rett ut")
    assert [b["payload"] for b in question["buttons"]] == ["/affirm", "/deny"]


async def test_no_thanks_and_goes_back_to_the_form(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    events = await ActionSafetyCheckAnswer().run(dispatcher, load_tracker("safety_answer_no"), domain)

    assert _responses(dispatcher) == ["utter_safety_check_no", "utter_safety_check_resume"]
    assert events == [_slot("safety_check", "answered_no"), FORGET]


async def test_yes_gets_the_crisis_answer_and_the_urgent_flag(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    events = await ActionSafetyCheckAnswer().run(dispatcher, load_tracker("safety_answer_yes"), domain)

    assert _responses(dispatcher)[0] == "utter_crisis_care"
    assert events == [
        _slot("safety_level", "crisis"), FORGET, _slot("urgent", True), _slot("safety_check", None), *STOP_FORM]
    assert _entry("t-mulig") == ("crisis", True)


async def test_crisis_words_in_the_answer_count_whatever_it_starts_with(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    events = await ActionSafetyCheckAnswer().run(dispatcher, load_tracker("safety_answer_with_crisis_words"), domain)

    assert _responses(dispatcher)[0] == "utter_crisis_care"
    assert _slot("urgent", True) in events


async def test_an_unclear_answer_is_asked_once_more_then_taken_as_no(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)

    first = await ActionSafetyCheckAnswer().run(dispatcher, load_tracker("safety_answer_unclear"), domain)
    assert _responses(dispatcher) == ["utter_safety_check_again"]
    assert first == [_slot("safety_check", "asked_again"), FORGET]

    dispatcher.messages.clear()
    second = await ActionSafetyCheckAnswer().run(dispatcher, load_tracker("safety_answer_unclear_again"), domain)
    assert _responses(dispatcher) == ["utter_safety_check_unclear", "utter_safety_check_open"]
    assert second == [_slot("safety_check", "answered_no")]


async def test_the_answer_goes_out_even_when_the_database_is_broken(monkeypatch, dispatcher, domain, tmp_path):
    monkeypatch.setenv("VEIVALG_DATABASE_URL", f"sqlite:///{tmp_path / 'missing-tables.db'}")
    from bot.settings import get_settings

    get_settings.cache_clear()
    events = await ActionRespondToSafety().run(dispatcher, load_tracker("safety_crisis_in_knapp"), domain)

    assert _responses(dispatcher)[0] == "utter_crisis_care"
    assert _slot("urgent", True) in events
