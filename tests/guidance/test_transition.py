"""Words of a coming transition are found however they are written, and ordinary words are left alone."""

from __future__ import annotations

import pytest

from bot.guidance.transition import mentions_transition


@pytest.mark.parametrize("text", [
    "hvordan blir jeg tømrer når jeg slipper ut", "kan jeg bli kokk etter løslatelsen", "når æ kjem ut",
    "jobb når jeg er ute", "skal over på åpen soning", "har fotlenke fra mars", "what job when i get out",
])
def test_a_coming_transition_is_recognised(text: str):
    assert mentions_transition(text)


@pytest.mark.parametrize(
    "text", ["hva gjør en tømrer", "jeg liker å være ute i naturen", "/discuss_transition", "", None]
)
def test_other_messages_are_not_taken_for_a_transition(text):
    assert not mentions_transition(text)
