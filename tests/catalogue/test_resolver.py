"""The resolver on mentions written for this project: misspelt, inflected, nynorsk, English, ambiguous, unknown."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from bot.catalogue.loader import DATA_FOLDER
from bot.catalogue.resolver import Resolver, fold, variants
from bot.catalogue.schema import read_catalogue
from bot.paths import TESTS_DIR, read_yaml

MENTIONS: dict[str, Any] = yaml.safe_load(
    (TESTS_DIR / "data" / "occupation_mentions.yml").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver([(name, slug) for name, _, slug in read_catalogue(DATA_FOLDER).names()])


def test_the_mention_list_is_large_and_varied():
    assert len(MENTIONS["mentions"]) >= 100
    assert len({m["slug"] for m in MENTIONS["mentions"]}) >= 80


def test_at_least_95_percent_of_mentions_resolve_to_the_right_occupation(resolver: Resolver):
    misses = [
        (m["text"], m["slug"], resolver.resolve(m["text"]).slug)
        for m in MENTIONS["mentions"]
        if resolver.resolve(m["text"]).slug != m["slug"]
    ]
    accuracy = 1 - len(misses) / len(MENTIONS["mentions"])
    assert accuracy >= 0.95, misses


@pytest.mark.parametrize("entry", MENTIONS["ambiguous"], ids=[e["text"] for e in MENTIONS["ambiguous"]])
def test_ambiguous_mentions_offer_a_choice_or_a_fair_answer(resolver: Resolver, entry: dict[str, Any]):
    found = resolver.resolve(entry["text"])

    if found.slug:
        assert found.slug in entry["slugs"]
    elif found.ambiguous:
        assert set(found.candidates) & set(entry["slugs"])
        assert len(found.candidates) <= 6
    else:  # one longer name ends with it ("mechanic" -> "car mechanic"): offered as «Mente du …?», not assumed
        assert set(found.suggestions) & set(entry["slugs"])


@pytest.mark.parametrize(
    ("mention", "not_this"),
    [("bakerimedarbeider", "baker"), ("isbilsjåfør", "tankbilsjafor"), ("tollkontrollør", "sikkerhetskontrollor")],
)
def test_a_similar_but_different_occupation_is_offered_never_answered(
    resolver: Resolver, mention: str, not_this: str
):
    found = resolver.resolve(mention)

    assert found.slug is None and not found.ambiguous
    assert not_this in found.suggestions and len(found.suggestions) <= 3


@pytest.mark.parametrize(
    ("typo", "slug"), [("rørleger", "rorlegger"), ("elektrikker", "elektriker"), ("snekkar", "tomrer")]
)
def test_a_typo_is_still_the_occupation(resolver: Resolver, typo: str, slug: str):
    assert resolver.resolve(typo).slug == slug


@pytest.mark.parametrize("text", MENTIONS["unknown"])
def test_unknown_words_are_never_turned_into_an_occupation(resolver: Resolver, text: str):
    found = resolver.resolve(text)

    assert not found.found and not found.ambiguous


@pytest.mark.parametrize(
    ("sentence", "slug"),
    [
        ("hva gjør en tømrer egentlig", "tomrer"),
        ("kan eg bli elektrikar med dom", "elektriker"),
        ("hvordan blir jeg rorlegger", "rorlegger"),
        ("jeg vil kjøre gravemaskin, altså gravemaskinkjører", "anleggsmaskinforer"),
        ("Trenger helsefagarbeidere politiattest?", "helsefagarbeider"),
        ("what does a welder do", "sveiser"),
    ],
)
def test_occupations_are_found_inside_sentences(resolver: Resolver, sentence: str, slug: str):
    assert resolver.find_in_text(sentence).slug == slug


@pytest.mark.parametrize("sentence", ["hva kan jeg bli", "jeg vil ha en jobb", "hei hvordan går det", "hjelp meg"])
def test_sentences_without_an_occupation_find_nothing(resolver: Resolver, sentence: str):
    found = resolver.find_in_text(sentence)
    assert not found.found and not found.ambiguous


def test_folding_matches_how_people_type_without_aeoeaa():
    assert fold("Rørlegger") == fold("rorlegger") == fold("roerlegger")
    assert fold("Sjåfør") == fold("sjaafoer") == "sjafor"
    assert fold("Lærer") == "laerer"


def test_variants_strip_inflections_and_join_compounds():
    assert "tomrer" in variants("tømrerne")
    assert "elektriker" in variants("elektrikarar")
    assert "anleggsmaskinforer" in variants("anleggs maskin fører")
    assert "sykepleier" in variants("sjukepleiar")


@pytest.mark.parametrize(
    ("sentence", "word"),
    [("hva gjør en astronaut?", "astronaut"), ("hvordan blir jeg youtuber", "youtuber"),
     ("kva gjer ein tolk", "tolk"), ("how do I become a pilot", "pilot")],
)
def test_the_word_a_question_is_about_is_guessed(sentence: str, word: str):
    from bot.catalogue.resolver import guess_mention

    assert guess_mention(sentence) == word


@pytest.mark.parametrize("sentence", ["hva kan jeg bli", "hvordan blir jeg det", "hei"])
def test_no_guess_without_a_named_thing(sentence: str):
    from bot.catalogue.resolver import guess_mention

    assert guess_mention(sentence) is None


LISTS: dict[str, Any] = read_yaml(TESTS_DIR / "data" / "occupation_lists.yml")


def test_at_least_97_percent_of_the_new_mentions_resolve(resolver: Resolver):
    right = sum(resolver.resolve(m["text"]).slug == m["slug"] for m in LISTS["must_resolve"])

    assert len(LISTS["must_resolve"]) >= 250
    assert right / len(LISTS["must_resolve"]) >= 0.97


def test_no_real_occupation_the_catalogue_lacks_is_answered_as_another(resolver: Resolver):
    answered = [(m["text"], resolver.resolve(m["text"]).slug) for m in LISTS["not_in_catalogue"]]

    assert len(LISTS["not_in_catalogue"]) >= 150
    assert [pair for pair in answered if pair[1]] == []


def test_small_words_after_the_occupation_do_not_hide_it():
    from bot.catalogue.resolver import guess_mention

    assert guess_mention("ka gjør en astronaut egentlig") == "astronaut"
    assert guess_mention("hva gjør en kokk da") == "kokk"


def test_driving_a_vehicle_finds_the_one_who_drives_it(resolver: Resolver):
    assert resolver.find_in_text("vil kjøre lastebil når jeg slipper ut").slug == "yrkessjafor"
    assert resolver.find_in_text("har lyst å kjøre taxi").slug == "drosjesjafor"
    assert not resolver.find_in_text("jeg liker å kjøre bil").found
