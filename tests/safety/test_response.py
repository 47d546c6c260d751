"""What is said where, and how the answer to the direct question is read."""

from __future__ import annotations

import pytest

from bot.safety.response import PRISON, WEB, answer_to_check, reason_for, responses_for, setting_of


def test_the_setting_comes_from_the_client_and_a_terminal_is_the_default():
    assert setting_of("w-abc", {"channel": "widget"}) == WEB
    assert setting_of("w-abc") == WEB
    assert setting_of("t-abc", {"channel": "terminal"}) == PRISON
    assert setting_of("anything") == PRISON


def test_each_level_has_its_own_answer_in_each_setting():
    assert "utter_crisis_staff" in responses_for("crisis", PRISON)
    assert "utter_crisis_urgent_web" in responses_for("crisis", WEB)
    assert responses_for("threat", WEB)[0] == "utter_threat_calm"
    assert responses_for("possible", PRISON) == ("utter_safety_check",)
    assert [reason_for(level) for level in ("crisis", "threat", "possible")] == ["crisis", "threat", "safety_check"]


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("Ja", None, "yes"), ("kanskje", None, "yes"), ("vet ikke", None, "yes"), ("ja, av og til", None, "yes"),
    ("nei", None, "no"), ("nei da, jeg har det bra", None, "no"), ("Nope", None, "no"), ("ikkje det", None, "no"),
    ("/affirm", "affirm", "yes"), ("/deny", "deny", "no"), ("jeg liker å snekre", "nlu_fallback", "unclear"),
])
def test_answers_to_the_direct_question(text, intent, expected):
    assert answer_to_check(text, intent) == expected
