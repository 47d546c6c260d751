from __future__ import annotations

from actions.action_occupation_question import ActionOccupationQuestion
from tests.conftest import load_tracker


async def test_an_everyday_name_gets_a_short_answer_and_buttons(catalogue_db, dispatcher, domain):
    events = await ActionOccupationQuestion().run(dispatcher, load_tracker("ask_tomrer_info"), domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "awaiting_occupation", "value": None},
        {"event": "slot", "timestamp": None, "name": "occupation_slug", "value": "tomrer"},
        {"event": "slot", "timestamp": None, "name": "occupations_viewed", "value": ["tomrer"]},
        {"event": "slot", "timestamp": None, "name": "compare_first", "value": None},
    ]
    texts = [m["text"] for m in dispatcher.messages]
    assert texts == [
        "En tømrer bygger nye hus og pusser opp gamle. Mye av arbeidet er i tre, for eksempel vegger, tak, gulv, "
        "vinduer og dører.",
        "Typiske oppgaver: bygger vegger, tak og gulv, setter inn vinduer og dører, pusser opp bad, kjøkken og rom.",
        "Hva vil du vite mer om?",
    ]
    assert dispatcher.messages[-1]["buttons"] == [
        {"title": "Veien dit", "payload": '/ask_education_path{"occupation": "tomrer"}'},
        {"title": "Politiattest", "payload": '/ask_politiattest{"occupation": "tomrer"}'},
        {"title": "Lignende yrker", "payload": '/ask_similar_occupations{"occupation": "tomrer"}'},
        {"title": "Sammenlign", "payload": '/compare_occupations{"occupation": "tomrer"}'},
    ]


async def test_a_bare_nynorsk_name_answers_the_question_that_was_asked(catalogue_db, dispatcher, domain):
    events = await ActionOccupationQuestion().run(dispatcher, load_tracker("which_occupation_answer"), domain)

    assert {"event": "slot", "timestamp": None, "name": "occupations_viewed", "value": ["kokk", "rorlegger"]} in events
    texts = [m["text"] for m in dispatcher.messages]
    assert texts[0].startswith("Veien til rørlegger:\n1. Vg1 Bygg- og anleggsteknikk.")
    assert any("praksiskandidat" in t for t in texts)
    assert texts[-1] == "Vil du vite mer?"


async def test_a_broken_database_gets_a_kind_answer(monkeypatch, dispatcher, domain, tmp_path):
    monkeypatch.setenv("VEIVALG_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    from bot.catalogue.service import forget_resolvers
    from bot.settings import get_settings

    get_settings.cache_clear()
    forget_resolvers()

    events = await ActionOccupationQuestion().run(dispatcher, load_tracker("ask_tomrer_info"), domain)

    assert events == [{"event": "slot", "timestamp": None, "name": "awaiting_occupation", "value": None}]
    assert dispatcher.messages[0]["text"].startswith("Jeg får ikke slått opp i yrkene mine")
