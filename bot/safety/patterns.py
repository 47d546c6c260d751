"""The safety patterns: unmistakable words of self-harm, suicide or threats, by level."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.paths import data_file, read_yaml
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
    past_and_over: tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]  # past, over, still
    joking: tuple[re.Pattern[str], re.Pattern[str]]  # a laugh, and what makes it serious all the same


def _expand(pattern: str, concepts: dict[str, str]) -> str:
    return CONCEPT.sub(lambda m: concepts[m.group(1)], pattern)


@lru_cache(maxsize=1)
def pattern_set() -> PatternSet:
    """Read and compile `data/safety/patterns.yml` once; a broken pattern fails loudly here."""
    data = read_yaml(PATTERNS_FILE)
    concepts: dict[str, str] = data["concepts"]
    by_level = {level: tuple(re.compile(_expand(p, concepts)) for p in data[level]) for level in LEVELS}
    ordinary = tuple(re.compile(_expand(p, concepts)) for p in data["ordinary"])
    unmistakable = tuple(re.compile(_expand(p, concepts)) for p in data["unmistakable"])
    told = data["past_and_over"]
    past_and_over = (re.compile(told["past"]), re.compile(told["over"]), re.compile(told["still"]))
    joke = data["joking"]
    joking = (re.compile(_expand(joke["laugh"], concepts)), re.compile(_expand(joke["serious"], concepts)))
    return PatternSet(
        by_level=by_level, ordinary=ordinary, unmistakable=unmistakable, past_and_over=past_and_over, joking=joking
    )


def told_as_past_and_over(reading: str) -> bool:
    """«For fem år siden prøvde jeg …, men i dag har jeg det bra»: long ago, over now, and not «still»."""
    past, over, still = pattern_set().past_and_over
    return bool(past.search(reading) and over.search(reading) and not still.search(reading))


def told_as_joke(text: str) -> bool:
    """«drep mæ nu haha»: a laugh, and no means, weapon, time, act on the body or «I mean it» beside it."""
    laugh, serious = pattern_set().joking
    return bool(laugh.search(text.lower())) and not any(serious.search(reading) for reading in spellings(text))


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
    if any(told_as_past_and_over(reading) for reading in spelt):
        # Threats still count; a crisis or a sign told as long past and over is left to the classifier.
        return "threat" if any(p.search(r) for r in readings for p in patterns["threat"]) else None
    for level in LEVELS:
        if any(p.search(reading) for reading in readings for p in patterns[level]):
            # A crisis or a threat said with a laugh is asked about, not answered as a crisis.
            return "possible" if level != "possible" and told_as_joke(text) else level
    return None
