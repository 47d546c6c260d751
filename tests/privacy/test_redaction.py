"""Tests for bot.privacy.redaction: personal data out, occupations, places and numbers that are not personal in."""

from __future__ import annotations

import copy
import datetime
import re
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
import spacy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.no import fodselsnummer

import bot.privacy.redaction.redactor as redactor_module
from bot.paths import TESTS_DIR, read_yaml
from bot.privacy.redaction import (
    ADDRESS,
    EMAIL,
    FODSELSNUMMER,
    LICENCE_PLATE,
    MARKER_ADDRESS,
    MARKER_EMAIL,
    MARKER_FODSELSNUMMER,
    MARKER_LICENCE_PLATE,
    MARKER_NAME,
    MARKER_PHONE,
    MARKERS,
    PERSON,
    PHONE,
    Finding,
    Redactor,
    build_redactor,
    get_redactor,
    redact_event_data,
    redact_text,
)
from bot.privacy.redaction.lexicon import DATA_DIR, load_lexicon
from bot.privacy.redaction.nlp import load_pipeline

MESSAGES = read_yaml(TESTS_DIR / "data" / "redaction_messages.yml")
REDACT_CASES: list[dict[str, Any]] = MESSAGES["redact"]
KEEP_CASES: list[str] = MESSAGES["keep"]
MAX_OVER_REDACTION = 0.03

WORDS = [
    "jeg", "heter", "fnr", "fødselsnummeret", "mitt", "er", "Hei", "NAV", "trenger", "det", "til",
    "søknaden", "kan", "du", "sjekke", "d-nummer", "ok", "takk", "😊", "på", "lager", "Oslo", "ring",
    "meg", "nummer", "tlf", "mobil", "eller", "skole", "i", "Bergen", "tømrer", "hilsen", "fagbrev",
    "Vg", "og", "nynorsk", "eg", "ikkje", "kva", "mamma", "pappa", "Bastøy", "æ", "ka", "hjelp",
]
SEPARATORS = [" ", ". ", ", ", "! ", "? ", ": ", "\n"]


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return build_redactor()


# --- the message file ---------------------------------------------------------------------------


def test_message_file_is_large_enough_and_consistent():
    assert len(REDACT_CASES) >= 120
    assert len(KEEP_CASES) >= 60
    for case in REDACT_CASES:
        assert case["must_remove"], case["text"]
        for part in case["must_remove"]:
            assert part in case["text"], (part, case["text"])
        assert set(case["markers"]) <= set(MARKERS.values())


def test_no_personal_data_survives(redactor: Redactor):
    leaks = []
    for case in REDACT_CASES:
        out = redactor.redact(case["text"])
        leaks += [(part, case["text"], out) for part in case["must_remove"] if part in out]
    assert leaks == []


def test_every_expected_marker_appears(redactor: Redactor):
    missing = []
    for case in REDACT_CASES:
        out = redactor.redact(case["text"])
        missing += [(marker, case["text"], out) for marker in case["markers"] if marker not in out]
    assert missing == []


def test_keep_messages_come_through_unchanged(redactor: Redactor):
    changed = [(text, redactor.redact(text)) for text in KEEP_CASES if redactor.redact(text) != text]
    assert len(changed) <= MAX_OVER_REDACTION * len(KEEP_CASES), changed


# --- what stays ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tømrer, Baker eller Sveiser?",
        "jobbe i Nordsjøen, skole i Bergen, Bastøy, Ila, Trondheim",
        "Jeg vil jobbe på Posten eller Kiwi.",
        "NAV sier Vg1 først, så fagbrev som praksiskandidat.",
        "2 år, 30 timer, 2026, kl. 14, 5000 kr, Vg2",
        "Kontakt NAV eller kontakt per telefon.",
        "Dag for dag. Per i dag. Hans bror. Liv og helse.",
    ],
)
def test_occupations_places_and_plain_numbers_stay(redactor: Redactor, text: str):
    assert redactor.redact(text) == text


@pytest.mark.parametrize("payload", ["/ja", "/valg_meg_i_kontekst", '/inform{"navn":"Ola Nordmann"}'])
def test_button_payloads_stay(redactor: Redactor, payload: str):
    assert redactor.redact(payload) == payload
    assert redactor.findings(payload) == []


def test_markers_stay_and_redacting_twice_changes_nothing(redactor: Redactor):
    text = "Jeg heter Ola Nordmann, ring 912 34 567 eller skriv til ola@nordmann.no"
    once = redactor.redact(text)
    assert once == "Jeg heter [navn], ring [telefon] eller skriv til [e-post]"
    assert redactor.redact(once) == once
    all_markers = " ".join(MARKERS.values())
    assert redactor.redact(all_markers) == all_markers


def test_empty_and_blank_text(redactor: Redactor):
    assert redactor.redact("") == ""
    assert redactor.redact("   ") == "   "


# --- findings -----------------------------------------------------------------------------------


def test_findings_give_kind_and_position(redactor: Redactor):
    text = "Jeg heter Kari Hansen, fnr 28018023123, tlf 912 34 567, kari@example.no, Storgata 5, bil AB 12345"
    found = redactor.findings(text)
    assert [f.kind for f in found] == [PERSON, FODSELSNUMMER, PHONE, EMAIL, ADDRESS, LICENCE_PLATE]
    assert [text[f.start : f.end] for f in found] == [
        "Kari Hansen",
        "28018023123",
        "912 34 567",
        "kari@example.no",
        "Storgata 5",
        "AB 12345",
    ]
    assert [f.marker for f in found] == [
        MARKER_NAME,
        MARKER_FODSELSNUMMER,
        MARKER_PHONE,
        MARKER_EMAIL,
        MARKER_ADDRESS,
        MARKER_LICENCE_PLATE,
    ]


def test_overlapping_finds_become_one_marker(redactor: Redactor):
    # The name recognizer sees «ola» and «nordmann» inside the address; the e-mail wins.
    found = redactor.findings("ola.nordmann@gmail.com")
    assert found == [Finding(EMAIL, 0, len("ola.nordmann@gmail.com"))]


def test_markers_are_norwegian():
    assert MARKERS == {
        PERSON: "[navn]",
        FODSELSNUMMER: "[fødselsnummer]",
        PHONE: "[telefon]",
        EMAIL: "[e-post]",
        ADDRESS: "[adresse]",
        LICENCE_PLATE: "[bilnummer]",
    }


def test_a_mistyped_fodselsnummer_with_a_birth_date_is_still_removed(redactor: Redactor):
    valid = "28018023123"
    typo = valid[:-1] + str((int(valid[-1]) + 1) % 10)
    assert not fodselsnummer.is_valid(typo)
    assert redactor.redact(f"fnr {typo}") == "fnr [fødselsnummer]"


def test_an_eleven_digit_number_without_a_date_is_not_a_fodselsnummer(redactor: Redactor):
    assert redactor.findings("ordrenummer 99999999999") == []


def test_dates_and_time_ranges_are_not_phone_numbers(redactor: Redactor):
    text = "Møte 24.12.2025 kl 22.30-23.30, og 31.12.2025."
    assert redactor.redact(text) == text


# --- hypothesis: fødselsnummer, phone numbers, idempotence --------------------------------------


@st.composite
def fodselsnumre(draw: st.DrawFn) -> str:
    """A valid fødselsnummer or D-nummer: birth date, individual number in the right range, check digits."""
    born = draw(st.dates(min_value=datetime.date(1940, 1, 1), max_value=datetime.date(2024, 12, 31)))
    if born.year >= 2000:
        individual = draw(st.integers(500, 999))
    else:
        individual = draw(st.one_of(st.integers(0, 499), st.integers(900, 999)))
    day = born.day + (40 if draw(st.booleans()) else 0)  # D-nummer: 40 added to the day
    base = f"{day:02d}{born.month:02d}{born.year % 100:02d}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    assume(len(first) == 1)
    second = fodselsnummer.calc_check_digit2(base + first)
    assume(len(second) == 1)
    number = base + first + second
    assert fodselsnummer.is_valid(number)
    return number


def surrounding(words: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
    return words.map(" ".join)


word_lists = st.lists(st.sampled_from(WORDS), max_size=8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=fodselsnumre(),
    spaced=st.booleans(),
    before=surrounding(word_lists),
    after=surrounding(word_lists),
    separator=st.sampled_from(SEPARATORS),
)
def test_any_valid_fodselsnummer_never_survives(
    redactor: Redactor, number: str, spaced: bool, before: str, after: str, separator: str
):
    written = f"{number[:6]} {number[6:]}" if spaced else number
    text = f"{before} {written}{separator}{after}"
    out = redactor.redact(text)
    assert not any(ch.isdigit() for ch in out), (text, out)
    assert MARKER_FODSELSNUMMER in out


@st.composite
def norwegian_phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(digits, as written): 8 digits starting 2-9, grouped as people write them, maybe after +47/0047."""
    rest = draw(st.lists(st.integers(0, 9), min_size=7, max_size=7))
    digits = str(draw(st.integers(2, 9))) + "".join(str(d) for d in rest)
    grouping = draw(st.sampled_from([(8,), (3, 2, 3), (2, 2, 2, 2), (4, 4)]))
    separator = " " if grouping == (4, 4) else draw(st.sampled_from(["", " ", ".", "-"]))
    parts, position = [], 0
    for size in grouping:
        parts.append(digits[position : position + size])
        position += size
    prefix = draw(st.sampled_from(["", "+47 ", "+47", "0047 ", "0047", "(+47) "]))
    return digits, prefix + separator.join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    phone=norwegian_phone_numbers(),
    before=surrounding(word_lists),
    after=surrounding(word_lists),
    separator=st.sampled_from(SEPARATORS),
)
def test_any_norwegian_phone_number_never_survives(
    redactor: Redactor, phone: tuple[str, str], before: str, after: str, separator: str
):
    _, written = phone
    text = f"{before} {written}{separator}{after}"
    out = redactor.redact(text)
    assert not any(ch.isdigit() for ch in out), (text, out)
    assert MARKER_PHONE in out


ALPHABET = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 .,:;!?@+-()[]/\n"
free_text = st.text(alphabet=st.sampled_from(list(ALPHABET)), max_size=80)
message_text = st.sampled_from([case["text"] for case in REDACT_CASES] + KEEP_CASES)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(message_text, free_text, st.tuples(message_text, free_text).map(" ".join)))
def test_redaction_is_idempotent(redactor: Redactor, text: str):
    once = redactor.redact(text)
    assert redactor.redact(once) == once


# --- events -------------------------------------------------------------------------------------


def test_user_event_is_redacted_everywhere_text_can_hide(redactor: Redactor):
    event = {
        "event": "user",
        "timestamp": 1_700_000_000.0,
        "text": "jeg heter Ola, ring 912 34 567",
        "parse_data": {
            "text": "jeg heter Ola, ring 912 34 567",
            "intent": {"name": "inform", "confidence": 0.9},
            "entities": [
                {"entity": "name", "start": 10, "end": 13, "value": "Ola", "text": "Ola"},
                {"entity": "occupation", "start": 0, "end": 6, "value": "tømrer"},
            ],
        },
        "input_channel": "rest",
        "metadata": {"from": "Kari Hansen", "nested": {"tlf": "912 34 567"}, "count": 2},
    }
    out = redact_event_data(event, redactor.redact)
    assert out["text"] == "jeg heter [navn], ring [telefon]"
    assert out["parse_data"]["text"] == "jeg heter [navn], ring [telefon]"
    assert out["parse_data"]["entities"][0]["value"] == "[navn]"
    assert out["parse_data"]["entities"][0]["text"] == "[navn]"
    assert out["parse_data"]["entities"][0]["start"] == 10
    assert out["parse_data"]["entities"][1]["value"] == "tømrer"
    assert out["parse_data"]["intent"] == {"name": "inform", "confidence": 0.9}
    assert out["metadata"] == {"from": "[navn]", "nested": {"tlf": "[telefon]"}, "count": 2}
    assert out["input_channel"] == "rest"
    assert event["text"] == "jeg heter Ola, ring 912 34 567"


def test_bot_event_redacts_text_and_button_titles_but_not_slash_payloads(redactor: Redactor):
    event = {
        "event": "bot",
        "text": "Takk for at du deler det: «jeg bor i Storgata 5»",
        "data": {
            "buttons": [
                {"title": "Ring Kari Hansen", "payload": "/ring_kari"},
                {"title": "Vet ikke", "payload": "/vet_ikke"},
                {"title": "Send", "payload": "ola@nordmann.no"},
            ],
            "custom": {"note": "tlf 912 34 567"},
        },
        "metadata": {"utter_action": "utter_ack"},
    }
    out = redact_event_data(event, redactor.redact)
    assert out["text"] == "Takk for at du deler det: «jeg bor i [adresse]»"
    assert [b["title"] for b in out["data"]["buttons"]] == ["Ring [navn]", "Vet ikke", "Send"]
    assert [b["payload"] for b in out["data"]["buttons"]] == ["/ring_kari", "/vet_ikke", "[e-post]"]
    assert out["data"]["custom"] == {"note": "tlf [telefon]"}
    assert out["metadata"] == {"utter_action": "utter_ack"}


def test_slot_event_redacts_strings_inside_nested_lists_and_dicts(redactor: Redactor):
    event = {
        "event": "slot",
        "name": "knapp_answers",
        "value": {
            "meg_i_kontekst": ["å være der for datteren min Emma", "mamma, tlf 912 34 567"],
            "overgang": {"hvem": ["advokaten min Grønvold"], "antall": 3, "ferdig": True},
        },
    }
    out = redact_event_data(event, redactor.redact)
    assert out["name"] == "knapp_answers"
    assert out["value"] == {
        "meg_i_kontekst": ["å være der for datteren min [navn]", "mamma, tlf [telefon]"],
        "overgang": {"hvem": ["advokaten min [navn]"], "antall": 3, "ferdig": True},
    }


def test_plain_string_slot_and_other_events(redactor: Redactor):
    slot = {"event": "slot", "name": "next_step", "value": "ringe Kari Hansen på 912 34 567"}
    assert redact_event_data(slot, redactor.redact)["value"] == "ringe [navn] på [telefon]"
    action = {"event": "action", "name": "action_listen", "policy": "RulePolicy", "confidence": 1.0}
    copied = redact_event_data(action, redactor.redact)
    assert copied == action and copied is not action
    session = {"event": "session_started", "timestamp": 1.0}
    assert redact_event_data(session, redactor.redact) == session


def test_redact_event_data_uses_the_process_redactor_by_default():
    out = redact_event_data({"event": "user", "text": "jeg heter Ola", "parse_data": {}})
    assert out["text"] == "jeg heter [navn]"


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), free_text, message_text),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
events = st.one_of(
    st.fixed_dictionaries(
        {
            "event": st.just("user"),
            "text": st.one_of(message_text, st.none()),
            "parse_data": st.fixed_dictionaries(
                {
                    "text": message_text,
                    "entities": st.lists(
                        st.fixed_dictionaries({"entity": st.just("x"), "value": json_values, "text": message_text}),
                        max_size=3,
                    ),
                }
            ),
            "metadata": st.dictionaries(st.text(max_size=8), json_values, max_size=3),
        }
    ),
    st.fixed_dictionaries(
        {
            "event": st.just("bot"),
            "text": message_text,
            "data": st.fixed_dictionaries(
                {
                    "buttons": st.lists(
                        st.fixed_dictionaries(
                            {"title": message_text, "payload": st.one_of(st.just("/ja"), message_text)}
                        ),
                        max_size=3,
                    )
                }
            ),
        }
    ),
    st.fixed_dictionaries({"event": st.just("slot"), "name": st.text(max_size=10), "value": json_values}),
    st.fixed_dictionaries({"event": st.sampled_from(["action", "session_started"]), "name": st.text(max_size=10)}),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event=events)
def test_redact_event_data_never_mutates_its_input(redactor: Redactor, event: dict[str, Any]):
    before = copy.deepcopy(event)
    redact_event_data(event, redactor.redact)
    assert event == before


# --- building the redactor ----------------------------------------------------------------------


def test_building_and_redacting_needs_no_network(monkeypatch: pytest.MonkeyPatch):
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("redaction tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(spacy.cli, "download", no_network)
    monkeypatch.setattr(redactor_module, "_redactor", None)

    redactor = get_redactor()
    assert redactor.redact("Hei, jeg heter Ola, mail ola@nordmann.no, tlf +46 70 123 45 67") == (
        "Hei, jeg heter [navn], mail [e-post], tlf [telefon]"
    )


def test_get_redactor_is_built_once_even_from_many_threads(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(redactor_module, "_redactor", None)
    seen: list[Redactor] = []
    barrier = threading.Barrier(4)

    def build() -> None:
        barrier.wait()
        seen.append(get_redactor())

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(r is seen[0] for r in seen)
    assert redact_text("ring 912 34 567") == "ring [telefon]"


def test_importing_the_module_builds_nothing():
    import importlib

    module = importlib.reload(redactor_module)
    assert module._redactor is None


def test_load_pipeline_without_a_prepared_pipeline_is_blank_norwegian(tmp_path: Path):
    nlp = load_pipeline(tmp_path / "missing")
    assert nlp.lang == "nb" and nlp.pipe_names == []
    spacy.blank("nb").to_disk(tmp_path / "blank")
    assert load_pipeline(tmp_path / "blank").pipe_names == []


def test_load_pipeline_keeps_only_what_the_ner_needs(tmp_path: Path):
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    ner = nlp.add_pipe("ner")
    ner.add_label("PER")
    nlp.initialize()
    nlp.to_disk(tmp_path / "with_ner")
    loaded = load_pipeline(tmp_path / "with_ner")
    assert loaded.pipe_names == ["ner"]


def test_person_entities_from_a_spacy_pipeline_are_removed():
    nlp = spacy.blank("nb")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PER", "pattern": "Zlatkoviq"},
            {"label": "PER", "pattern": "NAV"},
            {"label": "ORG", "pattern": "Veidekke"},
        ]
    )
    with_ner = build_redactor(nlp)
    text = "Jeg jobbet med Zlatkoviq hos Veidekke, via NAV"
    assert with_ner.redact(text) == "Jeg jobbet med [navn] hos Veidekke, via NAV"
    assert build_redactor().redact(text) == text


# --- the word lists -----------------------------------------------------------------------------


def test_name_lists_are_a_few_hundred_and_do_not_clash():
    lexicon = load_lexicon(DATA_DIR)
    assert len(lexicon.first_names) + len(lexicon.surnames) >= 300
    for origin_name in ["ahmed", "abdi", "nowak", "kazlauskas", "tesfaye", "nguyen", "rahimi", "khaled"]:
        assert lexicon.is_name(origin_name)
    safe = lexicon.first_names | lexicon.surnames
    assert not safe & lexicon.keep_words
    assert not (lexicon.ambiguous_first_names | lexicon.ambiguous_surnames) & lexicon.keep_words
    assert not safe & (lexicon.ambiguous_first_names | lexicon.ambiguous_surnames)
    for word in ["bonde", "fisker", "smed", "baker", "tømrer"]:
        assert not lexicon.is_name(word)
    for pattern in (*lexicon.strong_triggers, *lexicon.relation_triggers, *lexicon.weak_triggers):
        re.compile(pattern)


def test_the_bots_own_fixed_texts_pass_redaction_unchanged():
    """«Jeg heter Veivalg» and the help lines are not personal data: the transcript shows them as sent."""

    from bot.paths import PROJECT_ROOT
    from bot.privacy.redaction import redact_text

    domain = read_yaml(PROJECT_ROOT / "domain.yml")
    texts = [
        text
        for variants in domain["responses"].values()
        for variant in variants
        for text in [variant.get("text") or "", *(b.get("title", "") for b in variant.get("buttons") or [])]
        if text
    ]
    assert len(texts) > 50
    assert [t for t in texts if redact_text(t) != t] == []
    assert redact_text("ring meg på 22 40 00 41") == "ring meg på [telefon]"  # a private number still goes
