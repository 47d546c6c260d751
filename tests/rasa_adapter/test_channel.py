"""The REST channel's answers when the bot says nothing: a person has the conversation, or a fault."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ConversationPaused, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.handover import queue as handover
from bot.paths import PROJECT_ROOT
from bot.rasa_adapter.channel import VeivalgRestInput, system_texts
from bot.rasa_adapter.inbound import parse_body
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables

DOMAIN = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def database(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    monkeypatch.setenv("VEIVALG_DATABASE_URL", url)
    from bot.settings import get_settings

    get_settings.cache_clear()
    create_tables(url)
    return url


async def agent_with(
    sender: str, paused: bool, intent: str, text: str = "tekst", safety: dict | None = None
) -> SimpleNamespace:
    store = InMemoryTrackerStore(DOMAIN)
    tracker = DialogueStateTracker.from_events(sender, [], DOMAIN.slots)
    if paused:
        tracker.update(ConversationPaused())
    parse_data = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text}
    if safety is not None:
        parse_data["safety"] = safety  # what the safety net adds to the parse
    tracker.update(UserUttered(text, intent=parse_data["intent"], parse_data=parse_data, input_channel="rest"))
    await store.save(tracker)
    return SimpleNamespace(tracker_store=store, domain=DOMAIN)


async def quiet_bot(message) -> None:
    """The bot produced no messages (paused, or the action server failed)."""


async def test_while_a_counsellor_has_the_conversation_the_bot_stays_quiet(database):
    agent = await agent_with("s1", paused=True, intent="ask_help")

    answer = await VeivalgRestInput().answer(agent, parse_body(b'{"sender": "s1", "message": "hallo?"}'), quiet_bot)

    assert answer == []


async def test_crisis_words_get_help_at_once_even_while_paused(database):
    agent = await agent_with("s2", paused=True, intent="express_crisis", text="vil ikke leve")

    answer = await VeivalgRestInput().answer(agent, parse_body(b'{"sender": "s2", "message": "vil ikke leve"}'),
                                             quiet_bot)

    texts = [m["text"] for m in answer]
    assert texts[0].startswith("Takk for at du sier det.") and "116 123" in texts[2] and "113" in texts[2]
    with session_factory(database).begin() as session:
        [entry] = handover.queue(session=session)
        assert (entry.sender_id, entry.urgent, entry.reason) == ("s2", True, "crisis")


async def test_a_threat_while_paused_gets_the_threat_answer_and_its_own_reason(database):
    agent = await agent_with("s5", paused=True, intent="ask_help", text="skal ta ham",
                             safety={"level": "threat", "source": "pattern", "probability": 0.0})

    answer = await VeivalgRestInput().answer(agent, parse_body(b'{"sender": "s5", "message": "skal ta ham"}'),
                                             quiet_bot)

    assert answer and "116 123" not in " ".join(m["text"] for m in answer)
    with session_factory(database).begin() as session:
        [entry] = handover.queue(session=session)
        assert (entry.sender_id, entry.urgent, entry.reason) == ("s5", True, "threat")


async def test_a_silent_bot_that_is_not_paused_gets_the_kind_fault_message(database):
    agent = await agent_with("s3", paused=False, intent="greet")

    answer = await VeivalgRestInput().answer(agent, parse_body(b'{"sender": "s3", "message": "hei"}'), quiet_bot)

    assert answer == [{"recipient_id": "s3", "text": system_texts()["technical_problem"]}]


async def test_a_turn_on_an_unreadable_conversation_is_not_acknowledged(database):
    from bot.rasa_adapter.tracker_store import UNREADABLE

    agent = await agent_with("s4", paused=False, intent="greet")

    async def bot_on_an_empty_tracker(message) -> None:
        UNREADABLE.add("s4")  # the tracker store could not read the stored conversation
        await message.output_channel.send_text_message("s4", "Hei! Jeg er Veivalg.")

    answer = await VeivalgRestInput().answer(agent, parse_body(b'{"sender": "s4", "message": "hei"}'),
                                             bot_on_an_empty_tracker)

    assert answer == [{"recipient_id": "s4", "text": system_texts()["technical_problem"]}]
    UNREADABLE.discard("s4")
