"""The five karriereknapper: questions one at a time, answers kept, a step at the end."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from bot.languages.current import current_language, localized
from bot.paths import data_file, read_yaml
from bot.text.folding import fold

TEXTS_FILE = data_file("knapper", "texts.yml")
KNAPP_INTENTS = {
    "explore_self_in_context": "self_in_context",
    "explore_chances_and_limits": "chances_and_limits",
    "explore_choice_and_chance": "choice_and_chance",
    "explore_change_and_stability": "change_and_stability",
    "explore_adaptation_and_resistance": "adaptation_and_resistance",
    "discuss_transition": "transition",
}
CLOSING_KEYS = ("take_with_you", "next_step")
SKIP, DONT_KNOW = "__skip__", "__dont_know__"
ANSWER_SHORT = 60
_PERSONAL = re.compile(
    r"(\+?\d[\d\s.-]{5,}\d)|([\w.+-]+@[\w-]+\.[\w.]+)|(\b\d{6}\s?\d{5}\b)", re.UNICODE
)


def texts() -> dict[str, Any]:
    """Every text of the reflective conversation (data/knapper/texts.yml, or its English sibling)."""
    return _texts(current_language())


@lru_cache(maxsize=2)
def _texts(language: str) -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(localized(TEXTS_FILE, language))
    return loaded


def knapp(key: str) -> dict[str, Any]:
    """One knapp's title, explanation, questions and closing questions."""
    found: dict[str, Any] = texts()["knapper"][key]
    return found


def steps(key: str) -> list[str]:
    """The keys of the questions in order, the two closing questions last."""
    closing = list(CLOSING_KEYS) if knapp(key).get("closing", True) else []
    return [q["key"] for q in knapp(key)["questions"]] + closing


def question(key: str, step: int, easier: bool = False) -> str:
    """The question at `step`, or its easier version after «vet ikke»."""
    data = knapp(key)
    name = steps(key)[step]
    if name in CLOSING_KEYS:
        return str(texts()[f"{name}_easier"] if easier else data[name])
    entry = data["questions"][step]
    return str(entry["easier"] if easier else entry["text"])


_QUESTION_START = re.compile(
    r"^(hva|hvordan|hvem|hvor|hvilke|hvilken|hvorfor|kan|kva|korleis|kven|kor|ka|kåss|åssen|er|har|må|trenger|"
    r"what|how|who|can|is|do)\b",
    re.IGNORECASE,
)


def named(text: str) -> str | None:
    """The knapp whose title the user typed («meg i kontekst», «Endring og stabilitet!»), if any."""
    typed = fold(text)
    for key, data in texts()["knapper"].items():
        # «Me in context (Meg i kontekst)»: the whole title, or either name on its own.
        names = {fold(part) for part in re.split(r"[()]", str(data.get("title", ""))) if part.strip()}
        if typed and (typed == fold(str(data.get("title", ""))) or typed in names):
            return str(key)
    return None


def is_question(text: str) -> bool:
    """A question to the bot, as opposed to an answer: ends with '?' or starts with a question word."""
    cleaned = text.strip()
    return cleaned.endswith("?") or bool(_QUESTION_START.match(cleaned))


def buttons(key: str, step: int) -> list[dict[str, str]]:
    """The question's own choices, if it has any, then «vet ikke», «hopp over» and «noe annet»."""
    data = knapp(key)
    own = data["questions"][step].get("buttons", []) if step < len(data["questions"]) else []
    return [dict(b) for b in [*own, *texts()["question_buttons"]]]


def short_answer(answer: str) -> str:
    """The user's own words, shortened, with numbers and e-mail addresses left out."""
    cleaned = _PERSONAL.sub("…", " ".join(answer.split()))
    if len(cleaned) <= ANSWER_SHORT:
        return cleaned
    cut = cleaned.rfind(" ", 0, ANSWER_SHORT)
    return cleaned[: cut if cut > 20 else ANSWER_SHORT].rstrip(",.;:") + " …"


def acknowledge(key: str, step: int, answer: str) -> str | None:
    """A warm acknowledgement that reflects the answer back; none for the closing questions."""
    name = steps(key)[step]
    if name in CLOSING_KEYS:
        return None
    template = str(knapp(key)["questions"][step]["acknowledge"])
    return template.replace("{answer_short}", short_answer(answer))


def answered_steps(answers: Mapping[str, Any] | None, key: str) -> int:
    """How far the user has come in a knapp: the first step not yet answered or skipped."""
    done = (answers or {}).get(key) or {}
    for index, name in enumerate(steps(key)):
        if name not in done:
            return index
    return len(steps(key))


def record(answers: Mapping[str, Any] | None, key: str, step: int, answer: str | None) -> dict[str, Any]:
    """A copy of `answers` with this step's answer (None when skipped)."""
    updated: dict[str, Any] = {name: dict(values) if isinstance(values, Mapping) else list(values)
                               for name, values in (answers or {}).items()}  # «earlier»: a list of rounds
    updated.setdefault(key, {})[steps(key)[step]] = answer
    return updated


def archive(answers: Mapping[str, Any] | None, key: str) -> dict[str, Any]:
    """Move a finished knapp's answers aside so it can be taken again; nothing is thrown away."""
    updated = {name: values for name, values in (answers or {}).items()}
    finished = updated.pop(key, None)
    if finished:
        updated["earlier"] = [*updated.get("earlier", []), {"knapp": key, **finished}]
    return updated
