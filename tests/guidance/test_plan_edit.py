from __future__ import annotations

import pytest

from bot.guidance.plan import PlanLine
from bot.guidance.plan_edit import CANCEL, CHANGE, REMOVE, choice_of, line_buttons, line_of, new_text_of

LINES = [PlanLine("a|x|1", "Meg i kontekst: familien min betyr mest"), PlanLine("o|kokk", "Yrke: Kokk"),
         PlanLine("a|x|2", "Meg i kontekst: Neste steg: " + "snakke med skolen om fagbrev " * 3)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("fjern", REMOVE), ("Fjern den", REMOVE), ("slett den", REMOVE), ("ta bort", REMOVE), ("remove it", REMOVE),
     ("endre", CHANGE), ("skriv den på nytt", CHANGE), ("rett den", CHANGE), ("change", CHANGE),
     ("avbryt", CANCEL), ("nei", CANCEL), ("glem det", CANCEL), ("kanskje", None), ("", None)],
)
def test_the_choice_is_read_from_buttons_and_words(text, expected):
    assert choice_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", "a|x|1"), ("2.", "o|kokk"), ("linje 3", "a|x|2"), ("nr 2", "o|kokk"), ("kokk", "o|kokk"),
     ("familien", "a|x|1"), ("4", None), ("0", None), ("meg", None), ("Meg i kontekst", None)],
)
def test_a_line_is_found_by_number_or_by_words_only_it_contains(text, expected):
    found = line_of(text, LINES)
    assert (found.ref if found else None) == expected


def test_buttons_are_numbered_payloads_with_short_titles():
    buttons = line_buttons(LINES)

    assert [b["payload"] for b in buttons] == ["1", "2", "3"]
    assert buttons[1]["title"] == "Yrke: Kokk"
    assert len(buttons[2]["title"]) <= 45 and buttons[2]["title"].endswith("…")


def test_the_new_words_are_trimmed_and_kept_short():
    assert new_text_of("  ringe   mamma  ") == "ringe mamma"
    assert new_text_of("   ") is None
    assert len(new_text_of("a" * 1000) or "") == 300
