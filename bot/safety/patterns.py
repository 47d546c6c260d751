"""The safety patterns: unmistakable words of self-harm, suicide or threats, by level."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.paths import data_file
from bot.safety.spelling import spellings

PATTERNS_FILE = data_file("safety", "patterns.yml")
LEVELS = ("crisis", "threat", "possible")
CONCEPT = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class PatternSet:
    """Compiled patterns by level, and the ordinary phrases taken out first."""

    by_level: dict[str, tuple[re.Pattern[str], ...]]
    ordinary: tuple[re.Pattern[str], ...]
    unmistakable: tuple[re.Pattern[str], ...]  # crisis whatever ordinary phrase stands beside it


def _expand(pattern: str, concepts: dict[str, str]) -> str:
    return CONCEPT.sub(lambda m: concepts[m.group(1)], pattern)


@lru_cache(maxsize=1)
def pattern_set() -> PatternSet:
    """Read and compile `data/safety/patterns.yml` once; a broken pattern fails loudly here."""
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    concepts: dict[str, str] = data["concepts"]
    by_level = {level: tuple(re.compile(_expand(p, concepts)) for p in data[level]) for level in LEVELS}
    ordinary = tuple(re.compile(_expand(p, concepts)) for p in data["ordinary"])
    unmistakable = tuple(re.compile(_expand(p, concepts)) for p in data["unmistakable"])
    return PatternSet(by_level=by_level, ordinary=ordinary, unmistakable=unmistakable)


def without_ordinary(text: str) -> str:
    """The spelt message with idioms, jobs and sports that share words with a crisis taken out."""
    for pattern in pattern_set().ordinary:
        text, taken = pattern.subn(" ", text)
        if taken:
            text = re.sub(" +", " ", text)  # the next phrase sees one space where one was taken
    return text.strip()


def matching_level(text: str | None) -> str | None:
    """The most serious level whose pattern the message matches, or None."""
    if not text:
        return None
    patterns = pattern_set().by_level
    spelt = spellings(text)
    if any(p.search(reading) for reading in spelt for p in pattern_set().unmistakable):
        return "crisis"
    readings = [without_ordinary(reading) for reading in spelt]
    for level in LEVELS:
        if any(p.search(reading) for reading in readings for p in patterns[level]):
            return level
    return None
