from __future__ import annotations

import pytest

from bot.text.buttons import numbered, select_button

BUTTONS = [
    {"title": "Ja", "payload": "/affirm"},
    {"title": "Nei", "payload": "/deny"},
    {"title": "Snakk med en veileder", "payload": "/request_human"},
]


@pytest.mark.parametrize(
    ("text", "payload"),
    [("1", "/affirm"), (" 2 ", "/deny"), ("3.", "/request_human"), ("3)", "/request_human")],
)
def test_typed_number_selects_the_button(text: str, payload: str):
    assert select_button(text, BUTTONS) == payload


@pytest.mark.parametrize("text", ["0", "4", "12", "1 2", "en", "", "ja", "-1", "1.5"])
def test_other_text_selects_nothing(text: str):
    assert select_button(text, BUTTONS) is None


def test_no_buttons_means_no_selection():
    assert select_button("1", []) is None


def test_numbered_lines():
    assert numbered(BUTTONS) == ["1) Ja", "2) Nei", "3) Snakk med en veileder"]
