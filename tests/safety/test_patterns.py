"""The patterns catch every crisis phrasing written for this project and leave ordinary sentences alone."""

from __future__ import annotations

from typing import Any

import pytest

from bot.paths import TESTS_DIR, read_yaml
from bot.safety.assessment import assess
from bot.safety.classifier import POSSIBLE_THRESHOLD, crisis_intent_messages, signal_probability
from bot.safety.patterns import matching_level, pattern_set

PHRASES: dict[str, Any] = read_yaml(TESTS_DIR / "data" / "crisis_phrases.yml")
# The classifier must clear its threshold by this much either way, so that a different CPU
# cannot tip a sentence over it; sentences inside the margin belong to the safety gate's figures.
MARGIN = 0.05


def test_every_pattern_compiles_and_every_level_has_patterns():
    patterns = pattern_set()
    assert all(len(patterns.by_level[level]) >= 20 for level in ("crisis", "threat", "possible"))
    assert len(patterns.ordinary) >= 40


@pytest.mark.parametrize("text", PHRASES["crisis"])
def test_every_crisis_phrasing_gets_an_answer_with_a_margin(text: str):
    assert matching_level(text) is not None or signal_probability(text) >= POSSIBLE_THRESHOLD + MARGIN


@pytest.mark.parametrize("text", PHRASES["ordinary"])
def test_ordinary_sentences_with_hard_words_are_left_alone_with_a_margin(text: str):
    assert matching_level(text) is None
    assert signal_probability(text) <= POSSIBLE_THRESHOLD - MARGIN


# The kinds of false alarm and miss that users found (issue 14), each written as a new sentence.
@pytest.mark.parametrize("text", [
    "kan vi hoppe over det spørsmålet", "selv mor til tre barn kan ta fagbrev", "jeg skadet ryggen på jobben i fjor",
    "jeg vil kutte ned på røyken", "nå skal jeg ta livet mitt tilbake", "jeg vil gjøre slutt på det gamle livet",
    "jeg kjeder meg i hjel her inne", "vil jobbe med folk som skal dø, på et hospice",
    "finnes det jobber med å forebygge selvmord", "jeg ler meg ihjel av den serien",
])
def test_the_false_alarms_users_found_are_gone(text: str):
    assert matching_level(text) is None


@pytest.mark.parametrize(("text", "level"), [
    ("jeg kommer til å skade noen her inne", "threat"),
    ("det er ikke noe poeng i å leve", "crisis"),
    ("skar meg i armen i går", "crisis"),
    ("har spart opp pillene til i kveld", "crisis"),
    ("eg vil ikkje leva meir", "crisis"),
    ("jeg skal slå han ihjel når jeg kommer ut", "threat"),
    ("I want to kill myself", "crisis"),
    ("jeg har skrevet avskjedsbrev til ungene", "crisis"),
])
def test_the_misses_users_found_are_caught_at_the_right_level(text: str, level: str):
    assert matching_level(text) == level


@pytest.mark.parametrize("text", crisis_intent_messages() + crisis_intent_messages(TESTS_DIR / "nlu"))
def test_every_crisis_example_of_the_intent_model_gets_an_answer_from_the_net(text: str):
    assert matching_level(text) is not None or signal_probability(text) >= POSSIBLE_THRESHOLD + MARGIN


@pytest.mark.parametrize("text", ["/express_crisis", "/ask_help", "", "   ", None])
def test_button_payloads_and_empty_messages_are_not_assessed(text):
    assert assess(text).level is None


# Accidents, jokes, farewells that belong to a job, and tiredness with a task (issue 14, fourth and fifth
# sets): each kind written as new sentences here, each with its serious twin that must still be caught.
@pytest.mark.parametrize(("ordinary", "serious"), [
    ("skar meg på en planke i snekkerverkstedet, det gikk fint", "skar meg i armen i natt igjen, ingen vet det"),
    ("brant meg på stekeplata på jobb, men det har grodd",
     "brant meg på stekeplata på jobb med vilje for å kjenne noe"),
    ("læreren dreper meg hvis jeg kommer for sent igjen", "han kommer til å drepe meg når jeg slipper ut"),
    ("mamma kommer til å drepe meg når hun ser karakterene 😂",
     "faren min kommer til å drepe meg hvis jeg kommer hjem"),
    ("skriver et avskjedsbrev til kollegaene på verkstedet", "har skrevet avskjedsbrev til mamma og broren min"),
    ("dette blir siste melding fra meg i dag, må på jobb", "dette er siste melding fra meg. takk for alt, farvel"),
    ("orker ikke flere oppgaver i dag, fortsetter i morgen", "jeg orker ikke leve i dag"),
    ("gir bort sykkelen fordi jeg flytter til Trondheim", "gir bort alle tingene mine, trenger dem ikke der jeg skal"),
])
def test_an_ordinary_twin_is_left_alone_and_its_serious_twin_is_caught(ordinary: str, serious: str):
    assert matching_level(ordinary) is None
    assert matching_level(serious) is not None


@pytest.mark.parametrize("text", [
    "har tatt en hel eske sovetabletter nå", "i already took all my pills", "me no want live more",
    "skal bare ta ett kutt til", "sitter med barberblad nå", "kan noen passe hunden min etter at jeg er borte",
    "har samla på meg piller i månedsvis",
])
def test_plans_taken_now_and_learner_phrasings_are_a_crisis(text: str):
    assert matching_level(text) == "crisis"


@pytest.mark.parametrize("text", [
    "har fått tak i en pistol, han skal få svi", "jeg skal brekke nakken hans",
    "laget en kniv av en tannbørste, betjenten får se hva jeg mener",
    "hun tror hun er trygg på krisesenteret, jeg vet hvor det er",
])
def test_a_weapon_with_a_target_is_a_threat(text: str):
    assert matching_level(text) == "threat"


@pytest.mark.parametrize(("joke", "meant"), [
    ("drep meg nå haha, regnskapskurset er så kjedelig", "drep meg nå, jeg orker ikke mer"),
    ("I'm going to kill my cellmate lol, he snores like a tractor", "I'm going to kill my cellmate, he snitched"),
    ("jeg vil dø 😂 de serverer fiskegrateng igjen", "jeg vil dø, ingen bryr seg"),
])
def test_a_laugh_turns_the_full_answer_into_a_question(joke: str, meant: str):
    assert matching_level(joke) == "possible"
    assert matching_level(meant) in ("crisis", "threat")


@pytest.mark.parametrize("text", [
    "har skada meg selv hver kveld denne uka lol ikke si det til noen", "jeg tar alle pillene i kveld haha",
    "skal hente hagla og ta dem haha", "jeg mener det, jeg vil dø haha",
])
def test_a_laugh_beside_means_a_time_or_an_act_still_gets_the_full_answer(text: str):
    assert matching_level(text) in ("crisis", "threat")


@pytest.mark.parametrize("text", [
    "jeg drikker rensemiddel nå", "har nettopp svelget batteriene fra fjernkontrollen",
    "hvis jeg blir utvist tar jeg livet mitt", "eg har ikkje tenkt å vere i live når eg slepp ut",
])
def test_poison_now_a_verdict_and_not_planning_to_live_are_a_crisis(text: str):
    assert matching_level(text) == "crisis"


@pytest.mark.parametrize("text", [
    "byttet batteriet i fjernkontrollen nå", "tar livet mitt tilbake når jeg blir løslatt",
    "hun sier jeg dreper henne med alle spørsmålene haha", "jeg lager makramé av tau på verkstedet",
    "this is goodbye from me here, I'm being moved to open prison next week",
    "for ti år siden ville jeg dø, men nå har jeg fått god hjelp og det går bra",
])
def test_the_tenth_and_eleventh_sets_ordinary_kinds_are_left_alone(text: str):
    assert matching_level(text) is None
