"""Catalogue answers rendered from templates kept beside the data (data/catalogue/templates)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.catalogue import pay
from bot.catalogue.english import in_english
from bot.languages.current import current_language, localized
from bot.languages.detection import ENGLISH
from bot.paths import data_file, read_yaml
from bot.storage.tables.catalogue import Occupation, Route

TEMPLATES = data_file("catalogue", "templates")
MAX_MESSAGE = 300
SEPARATOR = re.compile(r"^-{3,}\s*$", re.MULTILINE)


def noun(title: str) -> str:
    """'Tømrer' -> 'tømrer' inside a sentence; keeps names like 'IT-utvikler' as they are."""
    return title[:1].lower() + title[1:] if title[1:] == title[1:].lower() else title


def years(value: float) -> str:
    """4.0 -> '4 år', 0.5 -> 'et halvt år', 3.5 -> '3,5 år'."""
    if value == 0.5:
        return "et halvt år"
    if value == int(value):
        return "1 år" if value == 1 else f"{int(value)} år"
    return f"{value:.1f}".replace(".", ",") + " år"


def years_en(value: float) -> str:
    """4.0 -> '4 years', 0.5 -> 'half a year', 3.5 -> '3.5 years'."""
    if value == 0.5:
        return "half a year"
    if value == int(value):
        return "1 year" if value == 1 else f"{int(value)} years"
    return f"{value:.1f} years"


def article(title: str) -> str:
    """'Electrician' -> 'an electrician', 'Carpenter' -> 'a carpenter', 'HR adviser' -> 'an HR adviser'."""
    word = noun(title)
    first = word.split(" ", 1)[0]
    abbreviation = first.isupper() and len(first) > 1  # read letter by letter: «an HR …», «an ROV …»
    vowel_sound = first[0] in "AEFHILMNORSX" if abbreviation else word[:1].lower() in "aeiou"
    return f"{'an' if vowel_sound else 'a'} {word}"


def in_sentence(step: str) -> str:
    """A step that continues a sentence: 'Jobb i en bedrift' -> 'jobb i en bedrift'; 'Vg1 …' stays."""
    if re.match(r"(Vg\d|[A-ZÆØÅ]{2})", step):
        return step
    return step[:1].lower() + step[1:]


def first_sentence(text: str) -> str:
    """The first sentence of a text."""
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


@lru_cache(maxsize=2)
def environment(language: str | None = None) -> Environment:
    """Jinja environment over the answer templates, with Veivalg's filters in the conversation's language."""
    language = language or current_language()
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        keep_trailing_newline=False,
    )
    env.filters.update(
        noun=noun, years=years_en if language == ENGLISH else years, first_sentence=first_sentence,
        in_sentence=in_sentence, kroner=pay.kroner, article=article,
    )
    return env


def view(occupation: Occupation) -> Any:
    """The occupation as the reader gets it: in English words when the conversation is in English."""
    return in_english(occupation) if current_language() == ENGLISH else occupation


def split_long(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split a text at sentence ends (then at spaces) so that no message is longer than `limit`."""
    text = re.sub(r"[ \t]+", " ", text).strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for sentence in re.split(r"(?<=[.!?:])\s+", text):
        while len(sentence) > limit:
            cut = sentence.rfind(" ", 0, limit)
            cut = cut if cut > 0 else limit
            if current:
                parts.append(current)
                current = ""
            parts.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        candidate = f"{current} {sentence}".strip()
        if len(candidate) > limit:
            parts.append(current)
            current = sentence
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


def pack_lines(lines: Iterable[str], limit: int = MAX_MESSAGE) -> list[str]:
    """Lines joined into as few messages as fit in `limit`, a line never split unless it is too long."""
    messages: list[str] = []
    current = ""
    for line in lines:
        for piece in split_long(line, limit):
            if current and len(current) + 1 + len(piece) > limit:
                messages.append(current)
                current = ""
            current = f"{current}\n{piece}" if current else piece
    if current:
        messages.append(current)
    return messages


def render(template: str, **values: Any) -> list[str]:
    """Render a template into messages: '---' lines separate messages, empty ones are dropped."""
    language = current_language()
    name = localized(TEMPLATES / f"{template}.txt.j2", language).name
    text = environment(language).get_template(name).render(**values)
    messages: list[str] = []
    for chunk in SEPARATOR.split(text):
        # A list (a route's steps) is split between its lines, never inside one.
        lines = [line for line in chunk.splitlines() if line.strip()]
        messages.extend(pack_lines(lines) if len(lines) > 1 else split_long(chunk))
    return messages


def main_route(occupation: Occupation) -> Route:
    """The most common route: the first in the data file."""
    return next(iter(occupation.routes))


def occupation_info(occupation: Occupation) -> list[str]:
    """Short first: what the job is, in two or three sentences."""
    return render("occupation_info", o=view(occupation))


def education_route(occupation: Occupation) -> list[str]:
    """The route step by step, praksiskandidat, and what can start in prison."""
    shown = view(occupation)
    return render("education_route", o=shown, routes=list(shown.routes))


def politiattest(occupation: Occupation) -> list[str]:
    """Whether a politiattest can be required, and the legal basis, in careful words."""
    return render("politiattest", o=view(occupation))


def compare(first: Occupation, second: Occupation) -> list[str]:
    """Two occupations side by side: tasks, education length, politiattest, pay, prospects."""
    shown = [view(o) for o in (first, second)]
    return render("compare", pair=[(o, main_route(o), pay.pay_for(o.styrk08)) for o in shown])


def pay_answer(occupation: Occupation) -> list[str]:
    """What the occupation pays, from SSB, with the year and the group the figure is for."""
    trade = any(route.kind in ("fagbrev", "svennebrev") for route in occupation.routes)
    apprentice = pay.apprentice_text(current_language()) if trade else None
    return render("pay", o=view(occupation), pay=pay.pay_for(occupation.styrk08), apprentice=apprentice)


def similar(occupation: Occupation) -> list[str]:
    """An introduction to the related occupations (offered as buttons)."""
    return render("similar", o=view(occupation))


@lru_cache(maxsize=2)
def _messages(language: str) -> dict[str, Any]:
    path = localized(TEMPLATES / "messages.yml", language)
    loaded: dict[str, Any] = read_yaml(path)
    return loaded


def message(key: str, **values: Any) -> tuple[str, list[dict[str, str]]]:
    """A fixed text of the occupation dialogue (messages.yml) and its buttons, filled with `values`."""
    language = current_language()
    entry = _messages(language)[key]
    env = environment(language)
    text = env.from_string(entry["text"]).render(**values)
    buttons = [
        {
            "title": env.from_string(b["title"]).render(**values),
            "payload": env.from_string(b["payload"]).render(**values),
        }
        for b in entry.get("buttons", [])
    ]
    return text, buttons


def occupation_buttons(occupations: Sequence[Occupation], intent: str) -> list[dict[str, str]]:
    """One button per occupation whose payload asks `intent` about it."""
    return [{"title": view(o).title, "payload": f'/{intent}{{"occupation": "{o.slug}"}}'} for o in occupations]
