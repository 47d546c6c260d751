from __future__ import annotations

from actions.action_session_start import ActionSessionStart
from tests.conftest import load_tracker


async def test_session_start_sets_retention_from_settings(monkeypatch, dispatcher, domain):
    monkeypatch.setenv("VEIVALG_RETENTION_DAYS", "30")
    events = await ActionSessionStart().run(dispatcher, load_tracker("new_conversation"), domain)

    assert events == [
        {"event": "session_started", "timestamp": None},
        {"event": "slot", "timestamp": None, "name": "retention_days", "value": 30},
        {"event": "action", "timestamp": None, "name": "action_listen", "policy": None,
         "confidence": None},
    ]
    assert dispatcher.messages == []


def test_action_name_matches_domain(domain):
    assert ActionSessionStart().name() in domain["actions"]

