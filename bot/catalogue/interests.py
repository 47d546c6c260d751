"""The interest mini-test: statements, scores per RIASEC type, and occupations that fit, with why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from bot.catalogue.answers import environment, pack_lines, view
from bot.catalogue.queries import all_occupations
from bot.languages.current import current_language, localized
from bot.paths import data_file, read_yaml

TEST_FILE = data_file("catalogue", "interest_test.yml")
CODES = "RIASEC"
POSITION_WEIGHT = (3, 2, 1)
ANSWER_WORDS = {
    "2": ("1", "passer godt", "passer bra", "ja", "stemmer", "helt", "absolutt", "yes", "veldig", "fits me well",
          "fits well", "very", "true", "a lot"),
    "1": ("2", "litt", "delvis", "kanskje", "sånn passe", "noen ganger", "middels", "a bit", "a little", "maybe",
          "sometimes", "partly"),
    "0": ("3", "passer ikke", "nei", "ikke", "aldri", "no", "stemmer ikke", "does not fit", "doesnt fit",
          "doesn't fit", "not", "never", "not me"),
}


@dataclass(frozen=True)
class Suggestion:
    """An occupation that fits the answers, and the interest it fits."""

    slug: str
    title: str
    code: str
    score: float


def test_data() -> dict[str, Any]:
    """The statements and texts of the test, in the conversation's language."""
    return _test_data(current_language())


@lru_cache(maxsize=2)
def _test_data(language: str) -> dict[str, Any]:
    loaded: dict[str, Any] = read_yaml(localized(TEST_FILE, language))
    return loaded


def statement_count() -> int:
    """How many statements the test has."""
    return len(test_data()["statements"])


def text(key: str, **values: Any) -> str:
    """A text of the test, filled with `values`."""
    return environment().from_string(test_data()[key]).render(**values)


def question(index: int) -> list[str]:
    """The messages that ask statement `index` (0-based)."""
    statement = test_data()["statements"][index]["text"]
    messages = [text("progress", number=index + 1, total=statement_count()), text("question", statement=statement)]
    if index == 0:
        messages.insert(0, text("intro"))
    return messages


def parse_answer(value: str | None) -> str | None:
    """'2', '1', '0' or 'skip' from a slot value or typed words; None when it is not an answer."""
    if value is None:
        return None
    cleaned = value.strip().lower().rstrip(".!")
    if cleaned in {"2", "1", "0", "skip"}:
        return cleaned
    for score, words in ANSWER_WORDS.items():
        if cleaned in words or any(cleaned.startswith(word + " ") for word in words if len(word) > 2):
            return score
    return None


def profile(answers: Sequence[str | None]) -> dict[str, float]:
    """Points per RIASEC code from the answers ('skip' and None count as nothing)."""
    points = dict.fromkeys(CODES, 0.0)
    for statement, answer in zip(test_data()["statements"], answers, strict=False):
        if answer not in (None, "skip"):
            points[statement["code"]] += float(answer)
    return points


def top_codes(answers: Sequence[str | None], count: int = 2) -> str:
    """The strongest interest codes, e.g. 'RS', kept for «min plan»."""
    points = profile(answers)
    return "".join(sorted(CODES, key=lambda c: -points[c])[:count]) if any(points.values()) else ""


def suggest(answers: Sequence[str | None], *, session: Session, limit: int = 5) -> list[Suggestion]:
    """The occupations whose interest codes best match the answers; at most one per title."""
    points = profile(answers)
    scored = []
    for occupation in all_occupations(session=session):
        codes = list(occupation.riasec)
        score = sum(points[c] * w for c, w in zip(codes, POSITION_WEIGHT, strict=False))
        best_code = max(codes, key=lambda c: points[c])
        no_attest = occupation.politiattest_level == "none"
        suggestion = Suggestion(occupation.slug, view(occupation).title, best_code, score)
        scored.append((score, no_attest, occupation.title, suggestion))
    scored.sort(key=lambda item: (-item[0], not item[1], item[2]))
    return [item[3] for item in scored[:limit] if item[0] > 0]


def result_messages(answers: Sequence[str | None], suggestions: Sequence[Suggestion]) -> list[str]:
    """Why these occupations: the strongest interests first, then one line per occupation."""
    points = profile(answers)
    ranked = sorted(CODES, key=lambda c: -points[c])
    likes = test_data()["likes"]
    if points[ranked[0]] == 0 or points[ranked[0]] == points[ranked[-1]]:
        intro = text("profile_flat")
    else:
        intro = text("profile", first=likes[ranked[0]], second=likes[ranked[1]])
    lines = [text("suggestion", title=s.title, like=likes[s.code]) for s in suggestions]
    return [intro, *pack_lines(lines), text("after")]


def buttons() -> list[dict[str, str]]:
    """The answer buttons shown with each statement."""
    return [dict(button) for button in test_data()["buttons"]]
