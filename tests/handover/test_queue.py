"""The counsellors' queue: one entry per conversation, urgent first, short contact codes, who is online."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bot.handover import queue as handover
from bot.handover.summary import summary_for_counsellor
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables


def make_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    create_tables(url)
    return url


def test_contact_codes_are_short_and_easy_to_read_aloud():
    codes = {handover.new_contact_code() for _ in range(500)}

    assert all(re.fullmatch(r"[A-Z][2-9A-Z]-[2-9A-Z]{3}", code) for code in codes)
    assert not any(ch in code for code in codes for ch in "01OIL")
    assert len(codes) > 490


def test_the_queue_puts_urgent_first_and_keeps_one_entry_per_conversation(tmp_path):
    url = make_db(tmp_path)
    with session_factory(url).begin() as session:
        first = handover.request_handoff("a", session=session, summary="Min plan:\n- x")
        handover.request_handoff("b", session=session)
        again = handover.request_handoff("a", session=session, reason="crisis", urgent=True)
        handover.request_handoff("c", session=session, reason="crisis", urgent=True)

        assert again.id == first.id and again.urgent and again.reason == "crisis" and again.summary == "Min plan:\n- x"
        assert [h.sender_id for h in handover.queue(session=session)] == ["a", "c", "b"]


def test_taking_and_closing_moves_an_entry_through_the_queue(tmp_path):
    url = make_db(tmp_path)
    with session_factory(url).begin() as session:
        entry = handover.request_handoff("a", session=session)
        taken = handover.take(entry.id, "kari", session=session)
        assert taken is not None and taken.status == "taken" and taken.taken_by == "kari"
        assert handover.take(entry.id, "ola", session=session) is None, "kari holds it"
        assert handover.close(entry.id, session=session, username="ola") is None, "only the holder closes"
        handover.close(entry.id, session=session, username="kari")
        assert handover.queue(session=session) == []
        assert handover.take(entry.id, "ola", session=session) is None
        assert handover.take(9999, "ola", session=session) is None
        # A new request from the same conversation after the first is done gets a new entry and code.
        second = handover.request_handoff("a", session=session)
        assert second.id != entry.id and second.contact_code != entry.contact_code


def test_the_json_entry_has_what_operators_need(tmp_path):
    url = make_db(tmp_path)
    with session_factory(url).begin() as session:
        data = handover.request_handoff("a", session=session, urgent=True, reason="crisis").as_dict()

    assert {"sender_id", "status", "urgent", "created_at", "contact_code"} <= set(data)
    assert data["urgent"] is True and data["status"] == "new"
    assert datetime.fromisoformat(data["created_at"]).tzinfo is not None


def test_a_counsellor_is_online_for_a_while_and_can_go_offline(tmp_path):
    url = make_db(tmp_path)
    with session_factory(url).begin() as session:
        assert handover.anyone_online(session=session) is False
        handover.set_online("kari", True, session=session)
        assert handover.anyone_online(session=session) and handover.is_online("kari", session=session)
        handover.set_online("kari", False, session=session)
        assert not handover.anyone_online(session=session)
        handover.set_online("ola", True, session=session, minutes=-1)
        assert not handover.anyone_online(session=session)
        assert datetime.now(timezone.utc) - timedelta(minutes=2) < datetime.now(timezone.utc)


def test_the_summary_is_the_plan_without_personal_data(catalogue_db):
    slots = {"knapp_answers": {"self_in_context": {"what_matters": "ring meg på 912 34 567"}},
             "occupations_viewed": ["kokk"]}
    with session_factory().begin() as session:
        summary = summary_for_counsellor(slots, session=session)
        empty = summary_for_counsellor({}, session=session)

    assert summary.startswith("Min plan:\n- Meg i kontekst: ring meg på [telefon]")
    assert "912" not in summary and "- Yrke: Kokk" in summary
    assert empty == "Ingen «min plan» ennå."


def test_the_entry_keeps_the_conversations_language(tmp_path):
    url = make_db(tmp_path)
    with session_factory(url).begin() as session:
        first = handover.request_handoff("a", session=session, language="en")
        handover.flag_for_safety("a", "crisis", session=session, language="pl")
        norwegian = handover.request_handoff("b", session=session)

        assert first.language == "pl" and norwegian.language is None
