"""The word lists and patterns redaction reads from `data/redaction/`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.paths import data_file, read_yaml

DATA_DIR = data_file("redaction")


@dataclass(frozen=True)
class Lexicon:
    """Names, words that are never names, and the patterns around names and addresses (lower case)."""

    first_names: frozenset[str]
    ambiguous_first_names: frozenset[str]
    surnames: frozenset[str]
    ambiguous_surnames: frozenset[str]
    keep_words: frozenset[str]
    stop_words: frozenset[str]
    fillers: frozenset[str]
    strong_triggers: tuple[str, ...]
    relation_triggers: tuple[str, ...]
    weak_triggers: tuple[str, ...]
    name_before: tuple[str, ...]
    street_suffixes: tuple[str, ...]
    place_suffixes: tuple[str, ...]
    street_words: tuple[str, ...]
    street_prefixes: tuple[str, ...]
    units: tuple[str, ...]
    not_plate_letters: frozenset[str]

    def is_name(self, word: str) -> bool:
        """True for any word in the four name lists."""
        low = word.lower()
        return any(
            low in names
            for names in (self.first_names, self.ambiguous_first_names, self.surnames, self.ambiguous_surnames)
        )


def read_word_list(path: Path) -> frozenset[str]:
    """One word a line, lower-cased; blank lines and `#` comments are skipped."""
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(word.lower())
    return frozenset(words)


def load_lexicon(folder: Path = DATA_DIR) -> Lexicon:
    """Read every list in `folder`."""
    patterns: dict[str, Any] = read_yaml(folder / "patterns.yml")

    def words(key: str) -> tuple[str, ...]:
        values = patterns[key]
        if not all(isinstance(w, str) for w in values):
            raise ValueError(f"{folder / 'patterns.yml'}: every word in {key} must be a string (quote 'no', 'on')")
        return tuple(w.lower() for w in values)

    return Lexicon(
        first_names=read_word_list(folder / "first_names.txt"),
        ambiguous_first_names=read_word_list(folder / "ambiguous_first_names.txt"),
        surnames=read_word_list(folder / "surnames.txt"),
        ambiguous_surnames=read_word_list(folder / "ambiguous_surnames.txt"),
        keep_words=read_word_list(folder / "keep_words.txt"),
        stop_words=frozenset(words("stop_words")),
        fillers=frozenset(words("fillers")),
        strong_triggers=tuple(str(p) for p in patterns["strong_triggers"]),
        relation_triggers=tuple(str(p) for p in patterns["relation_triggers"]),
        weak_triggers=tuple(str(p) for p in patterns["weak_triggers"]),
        name_before=tuple(str(p) for p in patterns["name_before"]),
        street_suffixes=words("street_suffixes"),
        place_suffixes=words("place_suffixes"),
        street_words=words("street_words"),
        street_prefixes=words("street_prefixes"),
        units=words("units"),
        not_plate_letters=frozenset(words("not_plate_letters")),
    )
