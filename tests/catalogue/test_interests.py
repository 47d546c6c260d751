from __future__ import annotations

import pytest

from bot.catalogue import interests
from bot.storage.engine import session_factory


def test_the_test_has_12_to_18_statements_covering_every_interest_type_evenly():
    statements = interests.test_data()["statements"]
    codes = [s["code"] for s in statements]

    assert 12 <= len(statements) <= 18
    assert {codes.count(c) for c in "RIASEC"} == {len(statements) // 6}


def test_every_text_of_the_test_is_short_with_one_question():
    for index in range(interests.statement_count()):
        for text in interests.question(index):
            assert len(text) <= 300 and text.count("?") <= 1
    assert [b["title"] for b in interests.buttons()] == ["Passer godt", "Litt", "Passer ikke", "Hopp over"]


@pytest.mark.parametrize(
    ("typed", "score"),
    [("2", "2"), ("passer godt", "2"), ("Ja!", "2"), ("litt", "1"), ("sånn passe", "1"), ("nei", "0"),
     ("passer ikke", "0"), ("skip", "skip"), ("hva er det til middag", None), (None, None)],
)
def test_answers_are_read_from_buttons_and_words(typed, score):
    assert interests.parse_answer(typed) == score


def test_a_hands_on_profile_suggests_hands_on_occupations_and_says_why(catalogue_db):
    answers = ["2" if s["code"] == "R" else "0" for s in interests.test_data()["statements"]]
    with session_factory().begin() as session:
        suggestions = interests.suggest(answers, session=session)

    assert len(suggestions) == 5 and all(s.code == "R" for s in suggestions)
    messages = interests.result_messages(answers, suggestions)
    assert messages[0].startswith("Du liker best å jobbe med hendene")
    assert "for deg som liker å jobbe med hendene." in messages[1]
    assert all(len(m) <= 300 for m in messages)
    assert interests.top_codes(answers)[0] == "R"


def test_a_caring_profile_suggests_caring_occupations(catalogue_db):
    answers = ["2" if s["code"] == "S" else "0" for s in interests.test_data()["statements"]]
    with session_factory().begin() as session:
        suggestions = interests.suggest(answers, session=session)

    assert all(s.code == "S" for s in suggestions)


def test_skipping_everything_suggests_nothing_and_says_so(catalogue_db):
    answers = ["skip"] * interests.statement_count()
    with session_factory().begin() as session:
        suggestions = interests.suggest(answers, session=session)

    assert suggestions == []
    assert interests.result_messages(answers, suggestions)[0].startswith("Svarene dine peker ikke tydelig")
