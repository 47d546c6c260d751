"""Every Norwegian text file has an English sibling that says the same things with the same buttons."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.languages.current import localized
from bot.paths import DATA_DIR, PROJECT_ROOT, read_yaml

PAIRS = [
    DATA_DIR / "knapper" / "texts.yml",
    DATA_DIR / "handover" / "texts.yml",
    DATA_DIR / "catalogue" / "interest_test.yml",
    DATA_DIR / "catalogue" / "templates" / "messages.yml",
]
TEMPLATES = [
    *sorted(p for p in (DATA_DIR / "catalogue" / "templates").glob("*.txt.j2") if ".en." not in p.name),
    DATA_DIR / "knapper" / "plan.txt.j2",
    DATA_DIR / "knapper" / "plan.html.j2",
]
PLACEHOLDER = re.compile(r"\{\{?\s*[\w.]+")
JINJA_NAME = re.compile(r"\{[{%]-?\s*(?:if |for |elif )?([a-z_][\w.]*)")


def _walk(norwegian: Any, english: Any, where: str) -> list[str]:
    problems: list[str] = []
    if isinstance(norwegian, dict):
        if not isinstance(english, dict) or set(norwegian) != set(english):
            return [f"{where}: keys differ"]
        for key in norwegian:
            problems += _walk(norwegian[key], english[key], f"{where}.{key}")
    elif isinstance(norwegian, list):
        if not isinstance(english, list) or len(norwegian) != len(english):
            return [f"{where}: list lengths differ"]
        for index, (n, e) in enumerate(zip(norwegian, english, strict=True)):
            problems += _walk(n, e, f"{where}[{index}]")
    elif isinstance(norwegian, str):
        if not isinstance(english, str):
            return [f"{where}: not a text"]
        if where.endswith("payload") and norwegian.startswith("/") and norwegian != english:
            problems.append(f"{where}: payload {english!r} is not {norwegian!r}")
        if sorted(PLACEHOLDER.findall(norwegian)) != sorted(PLACEHOLDER.findall(english)):
            problems.append(f"{where}: placeholders differ")
        if len(norwegian) <= 300 < len(english) or english.count("?") > max(1, norwegian.count("?")):
            problems.append(f"{where}: too long or more than one question")
    return problems


@pytest.mark.parametrize("norwegian", PAIRS, ids=lambda p: str(p.relative_to(DATA_DIR)))
def test_each_english_text_file_matches_its_norwegian_one(norwegian: Path):
    english = localized(norwegian, "en")
    load = lambda path: read_yaml(path)  # noqa: E731
    assert _walk(load(norwegian), load(english), norwegian.name) == []


@pytest.mark.parametrize("norwegian", TEMPLATES, ids=lambda p: p.name)
def test_each_english_template_uses_the_same_values(norwegian: Path):
    english = localized(norwegian, "en")
    names = lambda path: {n.split(".")[0] for n in JINJA_NAME.findall(path.read_text(encoding="utf-8"))}  # noqa: E731
    assert names(english) <= names(norwegian) | {"loop", "not"}


def test_every_response_in_the_domain_has_an_english_variant():
    responses = read_yaml(PROJECT_ROOT / "domain.yml")["responses"]
    missing = []
    bilingual = {"utter_language_unknown"}  # says it in both languages at once
    for name, variants in responses.items():
        if name in bilingual:
            continue
        in_english = {"name": "language", "value": "en", "type": "slot"}
        english = [v for v in variants if in_english in (v.get("condition") or [])]
        norwegian = [v for v in variants if v not in english]
        if not english:
            missing.append(name)
            continue
        # The same buttons, but for the one that switches language: «English» in Norwegian, «Norsk» in English.
        payloads = lambda vs: [[b["payload"] for b in v.get("buttons") or [] if "set_language" not in b["payload"]]  # noqa: E731
                               for v in vs][:1]
        assert payloads(english) == payloads(norwegian), name
    assert missing == []
