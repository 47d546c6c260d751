from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.cli import main
from bot.paths import PROJECT_ROOT
from bot.rasa_adapter.tracker_store import ConsentTrackerStore

DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))


def test_a_stored_plan_prints_as_text_and_as_a_printable_page(catalogue_db, monkeypatch, tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    monkeypatch.setenv("VEIVALG_TRACKER_STORE_URL", url)
    tracker = DialogueStateTracker.from_events("p1", [UserUttered("hei")], DOMAIN.slots)
    for event in (
        SlotSet("consent_to_store", True),
        SlotSet("knapp_answers", {"self_in_context": {"next_step": "spørre skolen om fagbrev"}}),
        SlotSet("occupations_viewed", ["kokk"]),
    ):
        tracker.update(event)
    asyncio.run(ConsentTrackerStore(domain=DOMAIN, host=url).save(tracker))

    assert main(["plan", "p1"]) == 0
    assert "Neste steg: spørre skolen om fagbrev" in capsys.readouterr().out

    page = tmp_path / "plan.html"
    assert main(["plan", "p1", "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<h1>Min plan</h1>" in html and "<p>Yrker jeg har sett på: Kokk.</p>" in html


def test_an_unknown_conversation_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("VEIVALG_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")

    assert main(["plan", "nobody"]) == 1
    assert "fant ingen lagret samtale" in capsys.readouterr().err
