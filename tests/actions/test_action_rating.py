from __future__ import annotations

from sqlalchemy import select

from actions.action_store_rating import ActionStoreRating
from actions.validate_rating_form import ValidateRatingForm
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables
from bot.storage.tables.ratings import Rating
from tests.conftest import load_tracker


def test_a_rating_button_is_read(dispatcher, domain):
    assert ValidateRatingForm().validate_rating("4", dispatcher, load_tracker("new_conversation"), domain) == {
        "rating": "4"
    }


def test_no_rating_skips_the_comment(dispatcher, domain):
    result = ValidateRatingForm().validate_rating("nei", dispatcher, load_tracker("new_conversation"), domain)

    assert result == {"rating": "0", "rating_comment": "-"}


async def test_the_rating_is_stored_without_words_when_consent_was_declined(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)
    tracker = load_tracker("new_conversation")
    tracker.slots.update(rating="5", rating_comment="jeg heter Ola", consent_to_store=False)

    events = await ActionStoreRating().run(dispatcher, tracker, domain)

    assert events == [
        {"event": "slot", "timestamp": None, "name": "rating", "value": None},
        {"event": "slot", "timestamp": None, "name": "rating_comment", "value": None},
    ]
    assert dispatcher.messages[0]["text"] == "Takk for svaret. Det hjelper oss å gjøre Veivalg bedre."
    with session_factory(catalogue_db).begin() as session:
        rows = session.execute(select(Rating)).scalars().all()
        assert [(r.rating, r.comment) for r in rows] == [(5, None)]


async def test_a_comment_with_consent_is_redacted_and_tied_to_its_conversation(catalogue_db, dispatcher, domain):
    create_tables(catalogue_db)
    tracker = load_tracker("new_conversation")
    tracker.slots.update(rating="4", rating_comment="takk, hilsen Ola Nordmann, 912 34 567", consent_to_store=True)

    await ActionStoreRating().run(dispatcher, tracker, domain)

    with session_factory(catalogue_db).begin() as session:
        [row] = session.execute(select(Rating)).scalars().all()
        assert (row.rating, row.sender_id) == (4, tracker.sender_id)
        assert "Ola" not in row.comment and "912" not in row.comment and "[telefon]" in row.comment
