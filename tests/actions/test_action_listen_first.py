"""Listen first: the interest is said back, what fits is shown with why, and the test is offered, not started."""

from __future__ import annotations

from actions.action_listen_first import ActionListenFirst
from tests.conftest import load_tracker


def tracker(text: str):
    state = load_tracker("new_conversation")
    state.latest_message = {"text": text, "intent": {"name": "ask_occupation_suggestions", "confidence": 0.9},
                            "entities": []}
    return state


async def test_an_interest_is_said_back_matched_and_the_test_offered(catalogue_db, dispatcher, domain):
    events = await ActionListenFirst().run(dispatcher, tracker("jeg liker å reparere motorsykler"), domain)

    assert events == [{"event": "slot", "timestamp": None, "name": "interest_heard", "value": True}]
    heard, matches, offer = dispatcher.messages
    assert heard["text"] == "Du liker «å reparere motorsykler». Det er nyttig å vite når vi ser på yrker."
    assert matches["text"].splitlines()[1].startswith("Motorsykkelmekaniker: ")
    assert offer["text"].count("?") == 1
    assert offer["buttons"][0]["payload"] == '/ask_occupation_info{"occupation": "motorsykkelmekaniker"}'
    assert offer["buttons"][-2:] == [{"title": "Ta testen", "payload": "/affirm"},
                                     {"title": "Nei takk", "payload": "/deny"}]
    assert all(len(m["text"]) <= 300 for m in dispatcher.messages)


async def test_no_match_still_listens_and_offers_the_test(catalogue_db, dispatcher, domain):
    events = await ActionListenFirst().run(dispatcher, tracker("jeg liker xylofonkvitring"), domain)

    assert events == [{"event": "slot", "timestamp": None, "name": "interest_heard", "value": True}]
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == ["/affirm", "/deny"]


async def test_a_plain_request_for_suggestions_starts_the_test(catalogue_db, dispatcher, domain):
    events = await ActionListenFirst().run(dispatcher, tracker("hva slags jobb passer for meg"), domain)

    assert events == [{"event": "slot", "timestamp": None, "name": "interest_heard", "value": False}]
    assert dispatcher.messages == []
