"""The ten languages' way in: every file reads, every crisis word is heard, no Norwegian or English line is."""

from __future__ import annotations

import pytest

from bot.languages.detection import WAY_IN
from bot.languages.report import english_files, nlu_lines, norwegian_files
from bot.languages.way_in import crisis_word_in, way_ins
from bot.languages.way_in_message import ENGLISH_PAYLOAD, NORWEGIAN_PAYLOAD, way_in_message


def test_every_language_has_its_texts():
    loaded = way_ins()
    assert set(loaded) == set(WAY_IN)
    for way_in in loaded.values():
        assert way_in.welcome and way_in.crisis and way_in.english and way_in.norsk and way_in.counsellor
        assert "113" in way_in.crisis or "113" in way_in.crisis.replace("\u200f", "")


@pytest.mark.parametrize("code", WAY_IN)
def test_each_crisis_word_is_heard_inside_a_sentence(code: str):
    for word in way_ins()[code].crisis_words:
        assert crisis_word_in(f"... {word} ...") is not None, (code, word)


def test_no_norwegian_or_english_example_holds_a_crisis_word_of_the_ten():
    heard = [line for line in nlu_lines([*norwegian_files(), *english_files()]) if crisis_word_in(line)]
    assert heard == []


def test_the_way_in_offers_english_norwegian_and_a_counsellor():
    message = way_in_message("pl")
    assert message is not None
    assert [b["payload"] for b in message.buttons] == [ENGLISH_PAYLOAD, NORWEGIAN_PAYLOAD, "/request_human"]
    assert way_in_message("en") is None
