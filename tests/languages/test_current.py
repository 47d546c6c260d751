"""The language the bot writes in for the conversation being answered, and the English siblings of text files."""

from __future__ import annotations

from pathlib import Path

from bot.catalogue import answers
from bot.guidance import knapper
from bot.handover.texts import texts as handover_texts
from bot.languages.current import current_language, localized, speaking
from bot.rasa_adapter.action_calls import conversation_language


def test_norwegian_unless_told_and_english_inside_the_block():
    assert current_language() == "nb"
    with speaking("en"):
        assert current_language() == "en"
        assert knapper.question("self_in_context", 0).startswith("What")
        assert "counsellor" in handover_texts()["queued"]
        assert answers.message("ask_occupation")[0].startswith("Which job")
    with speaking("pl"):  # one of the ten: the bot still writes Norwegian
        assert current_language() == "nb"
    assert knapper.question("self_in_context", 0).startswith("Hva")


def test_the_english_sibling_of_a_file():
    assert localized(Path("data/knapper/texts.yml"), "en") == Path("data/knapper/texts.en.yml")
    assert localized(Path("data/knapper/plan.txt.j2"), "en") == Path("data/knapper/plan.en.txt.j2")
    assert localized(Path("data/knapper/texts.yml"), "nb") == Path("data/knapper/texts.yml")


def test_the_action_server_reads_the_language_slot_of_the_call():
    assert conversation_language({"tracker": {"slots": {"language": "en"}}}) == "en"
    assert conversation_language({"tracker": {"slots": {}}}) is None
    assert conversation_language(None) is None and conversation_language([1]) is None
