"""A message that only names a language is the user's choice."""

from __future__ import annotations

import pytest

from bot.languages.choice import chosen_language


@pytest.mark.parametrize("text", ["English", "english please", "in English?", "på engelsk", "can we speak english",
                                  "I don't speak Norwegian", "jeg forstår ikke norsk", "engelsk takk"])
def test_english_is_chosen(text: str):
    assert chosen_language(text) == "en"


@pytest.mark.parametrize("text", ["Norsk", "på norsk takk", "norwegian please", "skriv norsk", "in norwegian"])
def test_norwegian_is_chosen(text: str):
    assert chosen_language(text) == "nb"


@pytest.mark.parametrize("text", ["jeg vil lære norsk", "norsk mat er godt", "is english hard to learn",
                                  "jeg har norsk fagbrev", "", "engelsklærer"])
def test_a_sentence_about_a_language_is_not_a_choice(text: str):
    assert chosen_language(text) is None
