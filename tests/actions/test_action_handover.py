"""Asking for a person: the exact messages, the queue entry, the contact code, and the urgent flag."""

from __future__ import annotations

import re

from actions.action_request_handover import ActionRequestHandover
from actions.validate_handover_form import ValidateHandoverForm, yes_or_no
from bot.handover import queue as handover
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables
from tests.conftest import load_tracker


def test_answers_are_read_as_yes_or_no_and_unclear_means_no(dispatcher, domain):
    assert [yes_or_no(v) for v in ("ja", "nei", "Ja, del det", "nei takk", "legg igjen beskjed", "hmm", None)] == [
        "ja", "nei", "ja", "nei", "nei", None, None]
    tracker = load_tracker("handover_answered")
    assert ValidateHandoverForm().validate_handover_share("tja", dispatcher, tracker, domain) == {
        "handover_share": "nei"}


async def test_live_chat_is_offered_only_when_someone_is_online(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)
    tracker = load_tracker("handover_answered")
    form = ValidateHandoverForm()
    slots = ["handover_share", "handover_live"]

    assert await form.required_slots(slots, dispatcher, tracker, domain) == ["handover_share"]
    with session_factory().begin() as session:
        handover.set_online("kari", True, session=session)
    assert await form.required_slots(slots, dispatcher, tracker, domain) == slots


async def test_nobody_online_queues_the_request_with_a_code_and_an_honest_next_step(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)
    tracker = load_tracker("handover_answered")

    events = await ActionRequestHandover().run(dispatcher, tracker, domain)

    with session_factory().begin() as session:
        [entry] = handover.queue(session=session)
        code, summary, live = entry.contact_code, entry.summary, entry.live
    assert events == [
        {"event": "slot", "timestamp": None, "name": "handover_share", "value": None},
        {"event": "slot", "timestamp": None, "name": "handover_live", "value": None},
        {"event": "slot", "timestamp": None, "name": "contact_code", "value": code},
    ]
    assert [m["text"] for m in dispatcher.messages] == [
        "Veilederen får se sammendraget.",
        "Nå er ingen veiledere pålogget. Jeg har lagt igjen en beskjed til dem.",
        f"Koden din er {code}. Gi koden til skolen eller en ansatt. Da finner veilederen beskjeden din, "
        "uten at jeg lagrer navnet ditt.",
        "En veileder ser beskjeden neste gang de er på jobb. Du kan fortsette å snakke med meg så lenge.",
    ]
    assert re.fullmatch(r"[A-Z][2-9A-Z]-[2-9A-Z]{3}", code)
    assert summary == "Min plan:\n- Meg i kontekst: familien\n- Yrke: Kokk" and live is False


async def test_a_live_chat_when_chosen_and_nothing_shared_without_a_yes(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)
    with session_factory().begin() as session:
        handover.set_online("kari", True, session=session)
    tracker = load_tracker("handover_answered")
    tracker.slots.update(handover_share="nei", handover_live="ja")

    await ActionRequestHandover().run(dispatcher, tracker, domain)

    with session_factory().begin() as session:
        [entry] = handover.queue(session=session)
        assert entry.live is True and entry.summary is None
    assert [m["text"] for m in dispatcher.messages][:2] == [
        "Veilederen får bare vite at du vil snakke med noen, ikke hva du har skrevet.",
        "Jeg har sagt fra. En veileder skriver til deg her snart. Du kan skrive mens du venter.",
    ]


def test_a_question_about_the_summary_is_answered_and_the_share_question_asked_again(dispatcher, domain):
    tracker = load_tracker("handover_answered")

    result = ValidateHandoverForm().validate_handover_share("hva er et sammendrag?", dispatcher, tracker, domain)

    assert result == {"handover_share": None}
    assert dispatcher.messages[0]["text"].startswith("Sammendraget er «min plan»")
    assert len(dispatcher.messages[0]["text"]) <= 300
