"""Easy read: every text a user sees is short, asks at most one question, and offers buttons as choices."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.paths import PROJECT_ROOT, read_yaml

MAX_CHARS = 300
DOMAIN: dict[str, Any] = read_yaml(PROJECT_ROOT / "domain.yml")
SYSTEM_TEXTS: dict[str, str] = yaml.safe_load(
    (PROJECT_ROOT / "bot" / "rasa_adapter" / "system_texts.yml").read_text(encoding="utf-8")
)
VARIANTS = [
    (name, variant) for name, variants in DOMAIN["responses"].items() for variant in variants
]
ALL_TEXTS = [(name, str(v.get("text", ""))) for name, v in VARIANTS] + list(SYSTEM_TEXTS.items())


@pytest.mark.parametrize(("name", "text"), ALL_TEXTS, ids=[n for n, _ in ALL_TEXTS])
def test_every_message_is_short(name: str, text: str):
    # Slots fill in short values (a number of days), so the template length is what counts.
    assert 0 < len(text) <= MAX_CHARS, f"{name} has {len(text)} characters"


@pytest.mark.parametrize(("name", "text"), ALL_TEXTS, ids=[n for n, _ in ALL_TEXTS])
def test_at_most_one_question_per_message(name: str, text: str):
    assert text.count("?") <= 1, name


@pytest.mark.parametrize(("name", "variant"), VARIANTS, ids=[n for n, _ in VARIANTS])
def test_buttons_have_short_titles_and_valid_payloads(name: str, variant: dict[str, Any]):
    intents = set(DOMAIN["intents"])
    for button in variant.get("buttons", []):
        assert 0 < len(button["title"]) <= 40, button
        match = re.fullmatch(r"/(\w+)(\{.*\})?", button["payload"])
        assert match and match.group(1) in intents, button


def test_menu_offers_the_five_knapper_transition_occupations_and_a_counsellor():
    titles = [b["title"] for b in DOMAIN["responses"]["utter_menu"][0]["buttons"]]
    assert titles == [
        "En overgang som kommer",
        "Meg i kontekst",
        "Muligheter og begrensninger",
        "Valg og tilfeldigheter",
        "Endring og stabilitet",
        "Tilpasning og motstand",
        "Yrker og utdanning",
        "Snakk med en veileder",
        "English",
    ]


def test_the_greeting_says_it_is_a_bot_and_what_is_stored():
    greeting = DOMAIN["responses"]["utter_greet"][0]["text"]
    unset, with_days, english = (v["text"] for v in DOMAIN["responses"]["utter_privacy_notice"])
    assert "chatbot" in greeting and "ikke et menneske" in greeting
    assert "{retention_days}" in with_days and "{" not in unset
    assert all("karriereveileder" in text for text in (unset, with_days))
    # The promise is no more than Veivalg controls, in both languages (issue 17).
    assert all("fengselet likevel logge" in text for text in (unset, with_days))
    assert "{retention_days}" in english and "the prison can still log" in english


def test_crisis_answer_points_to_staff_and_help_lines():
    crisis = " ".join(
        DOMAIN["responses"][name][0]["text"]
        for name in ("utter_crisis_care", "utter_crisis_staff", "utter_crisis_helplines")
    )
    for needed in ("ikke alene", "betjent", "116 123", "22 40 00 40", "113"):
        assert needed in crisis


def test_slots_used_in_texts_exist():
    slots = set(DOMAIN["slots"])
    for name, text in ALL_TEXTS:
        for slot in re.findall(r"\{(\w+)\}", text):
            assert slot in slots, f"{name} uses unknown slot {slot}"


def test_domain_file_is_the_one_rasa_uses():
    assert Path(PROJECT_ROOT / "domain.yml").is_file()
