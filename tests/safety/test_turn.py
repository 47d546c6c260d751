"""The safety step: first in every state, then back to listening or to the form."""

from __future__ import annotations

import pytest

from bot.safety.turn import ANSWERED_NO, ASKED, ASKED_AGAIN, CHECK_ANSWER, LISTEN, RESPOND, next_step


@pytest.mark.parametrize(("latest", "level", "check", "loop", "expected"), [
    (LISTEN, "crisis", None, "knapp_form", RESPOND),
    (LISTEN, "threat", None, None, RESPOND),
    (LISTEN, "possible", None, "interest_form", RESPOND),
    (LISTEN, None, None, "knapp_form", None),
    (LISTEN, None, ASKED, "knapp_form", CHECK_ANSWER),
    (LISTEN, "crisis", ASKED_AGAIN, None, CHECK_ANSWER),
    (LISTEN, "possible", ANSWERED_NO, None, None),
    (LISTEN, "crisis", ANSWERED_NO, None, RESPOND),
    (RESPOND, "possible", ASKED, "knapp_form", LISTEN),
    (CHECK_ANSWER, None, ANSWERED_NO, "knapp_form", "knapp_form"),
    (CHECK_ANSWER, None, ANSWERED_NO, None, LISTEN),
    (CHECK_ANSWER, None, ASKED_AGAIN, "knapp_form", LISTEN),
    ("knapp_form", None, ANSWERED_NO, "knapp_form", None),
])
def test_next_step(latest, level, check, loop, expected):
    assert next_step(latest_action=latest, level=level, check=check, active_loop=loop) == expected
