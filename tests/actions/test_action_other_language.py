"""The way in for a message in one of the ten languages: two texts in that language, three ways on."""

from __future__ import annotations

from actions.action_other_language import ActionOtherLanguage
from bot.languages.way_in import way_ins
from tests.conftest import load_tracker


async def test_a_polish_speaker_gets_the_welcome_the_crisis_text_and_three_buttons(dispatcher, domain):
    events = await ActionOtherLanguage().run(dispatcher, load_tracker("polish_first_message"), domain)

    polish = way_ins()["pl"]
    assert events == []
    assert [m["text"] for m in dispatcher.messages] == [polish.welcome, polish.crisis]
    assert dispatcher.messages[1]["buttons"] == [
        {"title": "English", "payload": '/set_language{"language":"en"}'},
        {"title": "Norsk", "payload": '/set_language{"language":"nb"}'},
        {"title": "Porozmawiaj z doradcą", "payload": "/request_human"},
    ]


async def test_a_language_without_a_way_in_gets_the_bilingual_choice(dispatcher, domain):
    tracker = load_tracker("new_conversation")

    assert await ActionOtherLanguage().run(dispatcher, tracker, domain) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_language_unknown"]
