from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.guidance.rating import average_rating, parse_rating, record_rating
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables
from bot.storage.tables.ratings import Rating


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("1", 1),
        ("4 ", 4),
        ("fire", 4),
        ("tre!", 3),
        ("6", None),
        ("0", None),
        ("ganske bra", None),
        ("", None),
        (None, None),
    ],
)
def test_ratings_are_read_from_buttons_and_words(text, value):
    assert parse_rating(text) == value


def test_a_comment_is_only_kept_with_consent(tmp_path):
    url = f"sqlite:///{tmp_path / 'q.db'}"
    create_tables(url)
    with session_factory(url).begin() as session:
        record_rating(5, "fint å snakke om skolen", True, ["self_in_context"], session=session)
        record_rating(2, "jeg heter Ola", False, [], session=session)

    with session_factory(url).begin() as session:
        rows = session.execute(select(Rating).order_by(Rating.id)).scalars().all()
        assert [(r.rating, r.comment, r.knapper) for r in rows] == [
            (5, "fint å snakke om skolen", "self_in_context"),
            (2, None, ""),
        ]
        assert average_rating(session=session) == 3.5
