from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event

from bot.paths import PROJECT_ROOT
from bot.privacy import transcripts
from bot.privacy.transcripts import ConversationFilters, list_conversations, load_transcript
from bot.settings import load_settings
from bot.storage.engine import conversation_session_factory, engine_for
from bot.storage.schema import create_tables
from tests.fixtures.transcripts.seed import seed, sender

KNAPP_DONE, HANDOVER, CRISIS = sender("knapp_done"), sender("handover"), sender("crisis")
FALLBACKS, TRANSITION = sender("fallbacks"), sender("transition_unfinished")


def _settings(folder: Path):
    return load_settings({
        "VEIVALG_HOME": str(folder),
        "VEIVALG_SECRET_KEY": "s" * 40,
        "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "VEIVALG_DATABASE_URL": f"sqlite:///{folder / 'veivalg.db'}",
    })


@pytest.fixture
def maker(tmp_path):
    settings = _settings(tmp_path)
    seed(settings.tracker_store_url)
    create_tables(settings.database_url)
    return conversation_session_factory(settings)


def _ids(maker, **filters) -> list[str]:
    with maker.begin() as session:
        return [s.sender_id for s in list_conversations(session=session, filters=ConversationFilters(**filters))]


def test_the_list_summarises_every_stored_conversation_newest_first(maker):
    with maker.begin() as session:
        found = {s.sender_id: s for s in list_conversations(session=session)}
        order = [s.sender_id for s in list_conversations(session=session)]

    assert order == [CRISIS, HANDOVER, KNAPP_DONE, FALLBACKS, TRANSITION]
    done = found[KNAPP_DONE]
    assert (done.channel, done.user_messages, done.knapper, done.rating) == ("widget", 14, ("self_in_context",), 5)
    assert not done.handover_requested and not done.urgent and done.fallbacks == 0
    assert done.turns == 33 and done.started_at.isoformat() == "2025-11-18T09:00:00+00:00"
    assert found[HANDOVER].handover_requested and found[HANDOVER].channel == "rest"
    assert found[CRISIS].urgent and not found[CRISIS].handover_requested
    assert found[CRISIS].safety_level == "crisis" and found[HANDOVER].safety_level is None
    missed = found[FALLBACKS]
    assert (missed.fallbacks, missed.rating) == (3, 2)
    # confidences below 0.6: 0.38, 0.52, 0.31, the rating "2" (0.41) and its comment (0.52)
    assert missed.low_confidence == 5
    assert found[TRANSITION].knapper == ("transition",) and found[TRANSITION].rating is None


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"channel": "widget"}, {KNAPP_DONE, CRISIS}),
        ({"knapp": "self_in_context"}, {KNAPP_DONE}),
        ({"knapp": "transition"}, {TRANSITION}),
        ({"handover": True}, {HANDOVER}),
        ({"urgent": True}, {CRISIS}),
        ({"urgent": False, "handover": False}, {KNAPP_DONE, FALLBACKS, TRANSITION}),
        ({"has_fallbacks": True}, {FALLBACKS}),
        ({"has_low_confidence": False}, {HANDOVER}),
        ({"rating": 5}, {KNAPP_DONE}),
        ({"rating": 2}, {FALLBACKS}),
        ({"date_from": date(2025, 11, 19)}, {HANDOVER, CRISIS}),
        ({"date_to": date(2025, 11, 10)}, {TRANSITION}),
        ({"date_from": date(2025, 11, 11), "date_to": date(2025, 11, 11)}, {FALLBACKS, TRANSITION}),
        ({"include_ids": frozenset({HANDOVER, "unknown"})}, {HANDOVER}),
        ({"exclude_ids": frozenset({HANDOVER, CRISIS, KNAPP_DONE})}, {FALLBACKS, TRANSITION}),
    ],
)
def test_filters(maker, filters, expected):
    assert set(_ids(maker, **filters)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sveiser i bergen", {FALLBACKS}),
        ("SVEISER", {FALLBACKS}),
        ("tømrer", {HANDOVER}),
        ("TØMRER", {HANDOVER}),
        ("[telefon]", {CRISIS}),
        ("fagbrev som", {KNAPP_DONE, HANDOVER}),
        ("parse_data", set()),
        ("event", set()),
        ("100%", set()),
        ("   ", {KNAPP_DONE, HANDOVER, CRISIS, FALLBACKS, TRANSITION}),
    ],
)
def test_free_text_search_looks_in_message_text_only(maker, query, expected):
    assert set(_ids(maker, search=query)) == expected


def test_search_combines_with_the_other_filters(maker):
    assert _ids(maker, search="fagbrev", channel="rest") == [HANDOVER]


def test_a_transcript_reads_like_the_conversation(maker):
    with maker.begin() as session:
        t = load_transcript(KNAPP_DONE, session=session)
    assert t is not None
    user = [x for x in t.turns if x.kind == "user"]
    assert user[0].text == "hei" and user[0].intent == "greet" and user[0].confidence == pytest.approx(0.99)
    # a button's payload is shown as the title the user saw
    assert user[1].text == "Ja, ta vare på den" and user[1].chosen_button
    assert user[2].text == "Meg i kontekst" and user[2].intent == "explore_self_in_context"
    assert "Vis min plan" in [x.text for x in user]
    notes = [x.note for x in t.turns if x.kind == "system"]
    assert notes[:3] == [
        "Brukeren sa ja til at samtalen lagres", "Knapp: Meg i kontekst startet", "Spørsmålene i knappen starter"
    ]
    assert "Knapp: Meg i kontekst fullført" in notes and "Vurdering: 5 av 5" in notes
    consent = next(x for x in t.turns if x.kind == "bot" and x.buttons)
    assert consent.buttons == ("Ja, ta vare på den", "Nei, ikke lagre noe")
    assert t.plan_lines[1:3] == ["Meg i kontekst:", "- å være der for datteren min når jeg kommer ut"]
    assert "Neste steg: spørre skolen om fagbrev som bilmekaniker" in t.plan_lines
    assert t.summary.sender_id == KNAPP_DONE and t.slots["occupations_viewed"] == ["bilmekaniker"]


def test_counsellor_messages_pauses_and_handover_are_marked(maker):
    with maker.begin() as session:
        t = load_transcript(HANDOVER, session=session)
    assert t is not None
    person = [x for x in t.turns if x.kind == "counsellor"]
    assert [x.author for x in person] == ["Karriereveileder", "Karriereveileder"]
    assert person[0].text.startswith("Hei, jeg heter [navn]")
    notes = [x.note for x in t.turns if x.kind == "system"]
    assert notes[-4:] == [
        "Brukeren ba om å snakke med en veileder",
        "Samtalen ble sendt videre til en veileder",
        "Samtalen satt på pause (veileder tok over)",
        "Chatboten svarer igjen",
    ]


def test_the_safety_nets_level_is_a_note_in_the_transcript(maker):
    with maker.begin() as session:
        t = load_transcript(CRISIS, session=session)
    assert t is not None
    notes = [x.note for x in t.turns if x.kind == "system"]
    assert "Krise: brukeren fikk kriseinformasjon, og saken ble merket som haster" in notes


def test_fallbacks_and_low_confidence_are_flagged_per_message(maker):
    with maker.begin() as session:
        t = load_transcript(FALLBACKS, session=session)
    assert t is not None
    users = {x.text: x for x in t.turns if x.kind == "user"}
    assert users["hvor mye tjener en sveiser i Bergen"].fallback
    assert users["hvor mye tjener en sveiser i Bergen"].low_confidence
    assert users["får jeg permisjon til jul"].fallback and not users["får jeg permisjon til jul"].low_confidence
    assert not users["lønn sveiser"].fallback and users["lønn sveiser"].low_confidence
    assert not users["hei"].low_confidence


def test_a_free_text_answer_inside_a_form_is_not_counted_as_not_understood(tmp_path):
    """The model reads a knapp answer as `nlu_fallback`, but the form took it: no «forsto ikke»."""
    settings = _settings(tmp_path)
    answer = [
        {"event": "active_loop", "timestamp": 1763500000.0, "name": "knapp_form"},
        {"event": "user", "timestamp": 1763500001.0, "text": "jeg ble lei av å stå stille",
         "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.3}}, "input_channel": "rest"},
        {"event": "action", "timestamp": 1763500002.0, "name": "knapp_form"},
        {"event": "bot", "timestamp": 1763500003.0, "text": "Takk. Neste spørsmål …", "data": {}},
        {"event": "user", "timestamp": 1763500004.0, "text": "blå elefant",
         "parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.2}}, "input_channel": "rest"},
        {"event": "action", "timestamp": 1763500005.0, "name": "action_default_fallback"},
    ]
    seed(settings.tracker_store_url, (), extra=[("skjema", answer)])
    create_tables(settings.database_url)
    with conversation_session_factory(settings).begin() as session:
        t = load_transcript("skjema", session=session)
        texts = transcripts.fallback_messages(session=session, sender_ids=["skjema"])
    assert t is not None
    flagged = {x.text: x.fallback for x in t.turns if x.kind == "user"}
    assert flagged == {"jeg ble lei av å stå stille": False, "blå elefant": True}
    assert texts == ["blå elefant"]


def test_a_new_session_and_a_restart_start_afresh_as_in_rasa(maker):
    with maker.begin() as session:
        t = load_transcript(TRANSITION, session=session)
    assert t is not None
    notes = [x.note for x in t.turns if x.kind == "system"]
    assert "Knappen stoppet: brukeren ville snakke om noe annet" in notes
    assert notes[-2:] == ["Ny økt startet", "Samtalen startet på nytt"]
    assert t.slots == {}
    assert t.plan_lines == ["Planen din er tom ennå. Velg en knapp i menyen for å begynne, så fyller vi den sammen."]


def test_an_unknown_conversation_is_none(maker):
    with maker.begin() as session:
        assert load_transcript("finnes-ikke", session=session) is None
        assert not transcripts.conversation_exists("finnes-ikke", session=session)
        assert transcripts.conversation_exists(CRISIS, session=session)


def test_json_export_holds_summary_turns_and_plan(maker):
    with maker.begin() as session:
        t = load_transcript(KNAPP_DONE, session=session)
    assert t is not None
    data = json.loads(json.dumps(transcripts.transcript_as_json(t)))
    assert data["summary"]["sender_id"] == KNAPP_DONE and data["summary"]["rating"] == 5
    assert data["summary"]["knapper"] == ["self_in_context"]
    assert len(data["turns"]) == len(t.turns)
    assert data["turns"][0] == {
        "kind": "user", "text": "hei", "timestamp": "2025-11-18T09:00:01.030000+00:00", "intent": "greet",
        "confidence": 0.99, "low_confidence": False, "fallback": False, "buttons": [], "note": None, "author": None,
    }
    assert "Tar med meg: at jeg kan mer enn jeg trodde" in data["plan"]


def test_csv_export_has_a_row_per_turn_and_defuses_formulas(tmp_path):
    settings = _settings(tmp_path)
    formula = [
        {"event": "user", "timestamp": 1763500000.0, "text": "=HYPERLINK(\"http://x\")",
         "parse_data": {"intent": {"name": "out_of_scope", "confidence": 0.7}}, "input_channel": "rest"},
        {"event": "bot", "timestamp": 1763500001.0, "text": "Det, kan jeg \"ikke\" svare på.", "data": {}},
    ]
    seed(settings.tracker_store_url, (), extra=[("formel", formula)])
    create_tables(settings.database_url)
    with conversation_session_factory(settings).begin() as session:
        t = load_transcript("formel", session=session)
    assert t is not None
    rows = list(csv.reader(io.StringIO(transcripts.transcript_as_csv(t))))
    assert rows[0] == ["tidspunkt", "hvem", "tekst", "intensjon", "sikkerhet", "knapper", "merknad"]
    assert rows[1] == [
        "2025-11-18T21:06:40+00:00", "bruker", "'=HYPERLINK(\"http://x\")", "out_of_scope", "0.70", "", ""
    ]
    assert rows[2][1:3] == ["chatbot", "Det, kan jeg \"ikke\" svare på."]
    assert len(rows) == 3


def test_fallback_messages_and_knapp_progress(maker):
    with maker.begin() as session:
        texts = transcripts.fallback_messages(session=session)
        only = transcripts.fallback_messages(session=session, sender_ids=[KNAPP_DONE])
        progress = transcripts.knapp_progress(session=session)
        channels = transcripts.channels(session=session)
    assert sorted(texts) == [
        "Hvor mye tjener en sveiser i Bergen", "får jeg permisjon til jul", "hvor mye tjener en sveiser i Bergen"
    ]
    assert only == []
    assert progress == [(TRANSITION, "transition", False), (KNAPP_DONE, "self_in_context", True)]
    assert channels == ["rest", "widget"]


def _conversation(number: int) -> list[dict]:
    start = 1763000000.0 + number * 600
    events: list[dict] = [{"event": "session_started", "timestamp": start}]
    for turn in range(5):
        events.append({
            "event": "user", "timestamp": start + turn * 10 + 1, "text": f"melding {turn} i samtale {number}",
            "parse_data": {"intent": {"name": "nlu_fallback" if turn == 4 else "greet", "confidence": 0.5 + turn / 10}},
            "input_channel": "rest",
        })
        if turn == 4:
            events.append({"event": "action", "timestamp": start + turn * 10 + 1.5, "name": "action_default_fallback"})
        events.append({"event": "bot", "timestamp": start + turn * 10 + 2, "text": "svar", "data": {}})
    events.append({"event": "slot", "timestamp": start + 60, "name": "current_knapp", "value": "transition"})
    return events


def test_listing_uses_the_same_few_queries_however_many_conversations(tmp_path):
    """No query per conversation: 20 and 600 conversations cost the same number of SQL statements."""
    counts = []
    for size in (20, 600):
        folder = tmp_path / str(size)
        folder.mkdir()
        settings = _settings(folder)
        seed(settings.tracker_store_url, (), extra=[(f"c{n:04d}", _conversation(n)) for n in range(size)])
        statements: list[str] = []
        engine = engine_for(settings.tracker_store_url)
        event.listen(engine, "before_cursor_execute", lambda *args, seen=statements: seen.append(args[2]))
        with conversation_session_factory(settings).begin() as session:
            found = list_conversations(session=session, filters=ConversationFilters(search="samtale 1"))
            everything = list_conversations(session=session)
            broad = list_conversations(session=session, filters=ConversationFilters(search="melding 4"))
        counts.append(len(statements))
        assert len(everything) == len(broad) == size
        assert all(s.fallbacks == 1 and s.user_messages == 5 and s.low_confidence == 1 for s in everything)
        assert {s.sender_id for s in found} == {f"c{n:04d}" for n in range(size) if str(n).startswith("1")}
    assert counts[0] == counts[1]


def test_the_table_description_matches_what_rasa_writes(tmp_path):
    """A conversation saved by the real tracker store reads back the same way."""
    import asyncio

    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa_adapter.tracker_store import ConsentTrackerStore

    settings = _settings(tmp_path)
    create_tables(settings.database_url)
    domain = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("ekte", [], domain.slots)
    for item in (
        UserUttered("hva gjør en kokk", intent={"name": "ask_occupation_info", "confidence": 0.55},
                    input_channel="rest", metadata={"channel": "widget"}),
        SlotSet("consent_to_store", True),
        ActionExecuted("action_occupation_question"),
        BotUttered("En kokk lager mat.", data={"buttons": [{"title": "Veien dit", "payload": "/ask_education_path"}]}),
        SlotSet("occupations_viewed", ["kokk"]),
    ):
        tracker.update(item)
    asyncio.run(ConsentTrackerStore(domain=domain, host=settings.tracker_store_url).save(tracker))

    with conversation_session_factory(settings).begin() as session:
        (summary,) = list_conversations(session=session)
        t = load_transcript("ekte", session=session)
    assert (summary.sender_id, summary.channel, summary.user_messages) == ("ekte", "widget", 1)
    assert summary.low_confidence == 1
    assert t is not None
    assert [(x.kind, x.text) for x in t.turns if x.kind != "system"] == [
        ("user", "hva gjør en kokk"), ("bot", "En kokk lager mat.")
    ]
    assert t.turns[-1].buttons == ("Veien dit",)
    assert t.slots["occupations_viewed"] == ["kokk"]
