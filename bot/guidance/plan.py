"""«Min plan»: the user's own words from each knapp, occupations looked at and interests, as messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.orm import Session

from bot.catalogue import interests
from bot.catalogue.answers import pack_lines
from bot.catalogue.english import english_entries
from bot.catalogue.queries import titles
from bot.guidance import knapper
from bot.languages.current import current_language, localized
from bot.languages.detection import ENGLISH
from bot.paths import data_file

TEMPLATE = data_file("knapper", "plan.txt.j2")
KNAPP_ORDER = ("transition", *(k for k in knapper.KNAPP_INTENTS.values() if k != "transition"))


def _labelled(question: str, answer: str) -> str:
    label = knapper.texts()["plan_labels"].get(question)
    return f"{label}: {answer}" if label else answer


def _section(key: str, answers: Mapping[str, Any]) -> dict[str, Any]:
    questions = [q["key"] for q in knapper.knapp(key)["questions"]]
    return {
        "title": knapper.knapp(key)["title"],
        "answers": [_labelled(q, answers[q]) for q in questions if answers.get(q)],
        "take_with_you": answers.get("take_with_you"),
        "next_step": answers.get("next_step"),
    }


def plan_context(slots: Mapping[str, Any], *, session: Session) -> dict[str, Any]:
    """What goes into the plan, from the conversation's slots."""
    stored = slots.get("knapp_answers") or {}
    names = _titles(session=session)
    likes = interests.test_data()["likes"]
    return {
        "texts": knapper.texts(),
        "knapper": [_section(k, stored[k]) for k in KNAPP_ORDER if any((stored.get(k) or {}).values())],
        "earlier": [_section(e["knapp"], e) for e in stored.get("earlier", []) if e.get("knapp") in KNAPP_ORDER],
        "occupations": [names[s] for s in slots.get("occupations_viewed") or [] if s in names],
        "interests": [likes[c] for c in (slots.get("interest_profile") or "") if c in likes],
    }


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """Templates beside the knapper's texts: plain text for the chat, autoescaped HTML for print."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATE.parent)), undefined=StrictUndefined, trim_blocks=True,
        lstrip_blocks=True, autoescape=select_autoescape(["html", "html.j2"]),
    )


def _titles(*, session: Session) -> dict[str, str]:
    """slug -> the occupation's title in the conversation's language."""
    names = titles(session=session)
    if current_language() == ENGLISH:
        english = english_entries()
        names = {slug: english[slug].title if slug in english else title for slug, title in names.items()}
    return names


def plan_messages(slots: Mapping[str, Any], *, session: Session) -> list[str]:
    """The plan as chat messages of at most 300 characters, lines kept whole where they fit."""
    template = localized(TEMPLATE).name
    text = _environment().get_template(template).render(**plan_context(slots, session=session))
    return pack_lines(line.strip() for line in text.splitlines() if line.strip())


def plan_html(messages: list[str], date: str) -> str:
    """A printable page of the plan, in large, plain type."""
    return _environment().get_template(localized(TEMPLATE.with_name("plan.html.j2")).name).render(
        messages=messages, date=date
    )


@dataclass(frozen=True)
class PlanLine:
    """One line of the plan the user can correct or remove, and where it comes from in the slots."""

    ref: str
    text: str


def _answer_lines(key: str, answers: Mapping[str, Any], ref: str) -> list[PlanLine]:
    title = knapper.knapp(key)["title"]
    labels = knapper.texts()["plan_line_labels"]
    questions = [q["key"] for q in knapper.knapp(key)["questions"]]
    lines = [PlanLine(f"{ref}|{q}", f"{title}: {_labelled(q, answers[q])}") for q in questions if answers.get(q)]
    lines += [PlanLine(f"{ref}|{c}", f"{title}: {labels[c]}: {answers[c]}") for c in labels if answers.get(c)]
    return lines


def plan_lines(slots: Mapping[str, Any], *, session: Session) -> list[PlanLine]:
    """Every line of the plan in the order the plan shows them, each with a reference for editing."""
    stored = slots.get("knapp_answers") or {}
    lines: list[PlanLine] = []
    for key in KNAPP_ORDER:
        lines += _answer_lines(key, stored.get(key) or {}, f"a|{key}")
    for index, earlier in enumerate(stored.get("earlier", [])):
        if earlier.get("knapp") in KNAPP_ORDER:
            lines += _answer_lines(earlier["knapp"], {c: earlier.get(c) for c in knapper.CLOSING_KEYS}, f"e|{index}")
    names = _titles(session=session)
    labels = knapper.texts()["plan_line_labels"]
    lines += [PlanLine(f"o|{slug}", f"{labels['occupation']}: {names[slug]}")
              for slug in slots.get("occupations_viewed") or [] if slug in names]
    if slots.get("interest_profile"):
        context = plan_context(slots, session=session)
        lines.append(PlanLine("i", labels["interests"] + f" {labels['and']} ".join(context["interests"])))
    return lines


def edit_plan(slots: Mapping[str, Any], ref: str, new_text: str | None) -> dict[str, Any]:
    """Slot updates that change one line to `new_text`, or remove it when `new_text` is None."""
    kind, _, rest = ref.partition("|")
    if kind == "o":
        return {"occupations_viewed": [s for s in slots.get("occupations_viewed") or [] if s != rest]}
    if kind == "i":
        return {"interest_profile": None, "interest_scores": None}
    stored = slots.get("knapp_answers") or {}
    answers: dict[str, Any] = {name: (list(v) if isinstance(v, list) else dict(v)) for name, v in stored.items()}
    where, _, field = rest.partition("|")
    section: dict[str, Any]
    if kind == "a":
        section = answers.setdefault(where, {})
    elif kind == "e":
        earlier = [dict(e) for e in answers.get("earlier", [])]
        answers["earlier"] = earlier
        section = earlier[int(where)]
    else:
        raise ValueError(f"unknown plan line {ref!r}")
    # A removed answer stays as None, so the knapp does not ask the same question again.
    section[field] = new_text
    return {"knapp_answers": answers}
