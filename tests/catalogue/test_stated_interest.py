"""Listen first: the interest in the user's words, and occupations whose work shares those words."""

from __future__ import annotations

import pytest

from bot.catalogue.stated_interest import GOOD, LIKE, WANT, StatedInterest, matching_occupations, stated_interest
from bot.storage.engine import session_factory


@pytest.mark.parametrize(("text", "kind", "words"), [
    ("jeg liker å reparere motorsykler", LIKE, "å reparere motorsykler"),
    ("vil jobbe med dyr", WANT, "jobbe med dyr"),
    ("jeg har alltid likt å lage mat. lagde middag til hele avdelingen", LIKE, "å lage mat"),
    ("er god med data, fikser pcer for folk", GOOD, "med data"),
    ("vil hjelpe unge som er på vei til å havne der jeg havna", WANT, "hjelpe unge"),
    ("driv mykje med musikk, lagar beats på cella", "do", "musikk"),
    ("interessert i biler", LIKE, "biler"),
    ("i love cooking", LIKE, "cooking"),
])
def test_an_interest_is_taken_in_the_users_own_words(text: str, kind: str, words: str):
    assert stated_interest(text) == StatedInterest(kind=kind, words=words)


@pytest.mark.parametrize("text", [
    "hva slags jobb passer for meg", "jeg liker deg", "jeg liker ikke det", "jeg vil slette samtalen",
    "jeg vil bli tømrer", "kan du hjelpe meg", "", "/affirm", "x" * 400,
])
def test_requests_and_small_talk_are_not_interests(text: str):
    assert stated_interest(text) is None


@pytest.mark.parametrize(("text", "first"), [
    ("jeg liker å reparere motorsykler", "Motorsykkelmekaniker"),
    ("vil jobbe med dyr", "Veterinær"),
    ("jeg har alltid likt å lage mat", "Kokk"),
    ("driv mykje med musikk", "Musiker"),
    ("jeg liker best å bygge ting med hendene", "Tømrer"),
])
def test_occupations_whose_work_shares_the_words_come_first(catalogue_db: str, text: str, first: str):
    interest = stated_interest(text)
    assert interest is not None
    with session_factory(catalogue_db).begin() as session:
        matches = matching_occupations(interest, session=session)
        assert matches[0].occupation.title == first
        assert all(m.why for m in matches) and len(matches) <= 3


def test_words_the_catalogue_does_not_have_match_nothing(catalogue_db: str):
    with session_factory(catalogue_db).begin() as session:
        assert matching_occupations(StatedInterest(LIKE, "xylofonkvitring"), session=session) == []
