"""The confirmed deletion runs the real deletion and turns storage off for the rest of the conversation."""

from __future__ import annotations

import json
import time

from sqlalchemy import insert, select

from actions.action_delete_conversation import ActionDeleteConversation
from bot.privacy.retention import EVENTS
from bot.settings import get_settings
from bot.storage.engine import engine_for
from bot.storage.schema import create_tables
from tests.conftest import load_tracker


async def test_the_stored_conversation_is_deleted(monkeypatch, tmp_path, dispatcher, domain):
    monkeypatch.setenv("VEIVALG_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("VEIVALG_DATABASE_URL", f"sqlite:///{tmp_path / 'veivalg.db'}")
    get_settings.cache_clear()
    settings = get_settings()
    create_tables(settings.database_url)
    tracker = load_tracker("knapp_in_progress")
    engine = engine_for(settings.tracker_store_url)
    EVENTS.metadata.create_all(engine)
    with engine.begin() as connection:
        for sender in (tracker.sender_id, "someone-else"):
            connection.execute(
                insert(EVENTS).values(sender_id=sender, type_name="user", timestamp=time.time(),
                                      data=json.dumps({"event": "user", "text": "hei"}))
            )

    events = await ActionDeleteConversation().run(dispatcher, tracker, domain)

    assert events == [{"event": "slot", "timestamp": None, "name": "consent_to_store", "value": False}]
    assert dispatcher.messages == []
    with engine.connect() as connection:
        assert connection.execute(select(EVENTS.c.sender_id)).scalars().all() == ["someone-else"]
