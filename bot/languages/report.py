"""How well the language of a message is told: on a labelled set, and on every Norwegian and English NLU file."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.languages.choice import chosen_language
from bot.languages.detection import ENGLISH, NORWEGIAN, detect
from bot.paths import DATA_DIR, TESTS_DIR, read_yaml

LABELLED = TESTS_DIR / "languages" / "detection.yml"
ENGLISH_HELD_OUT = TESTS_DIR / "languages" / "heldout_en_nlu.yml"
# Lines of the Norwegian NLU files that are English or another language on purpose (reviewed by hand).
NOT_NORWEGIAN = TESTS_DIR / "languages" / "not_norwegian.txt"
_ANNOTATION = re.compile(r"\[([^\]]*)\](\([^)]*\)|\{[^}]*\})")


def language_of(text: str) -> str | None:
    """What Veivalg makes of one message: a language the user named, else a confident detection, else None."""
    return chosen_language(text) or detect(text).language


def nlu_lines(paths: Iterable[Path]) -> Iterator[str]:
    """Every example of Rasa NLU files, entity annotations removed."""
    for path in paths:
        data = read_yaml(path) or {}
        for block in data.get("nlu") or []:
            examples = block.get("examples")
            if not isinstance(examples, str):
                continue
            for line in examples.splitlines():
                line = line.strip()
                if line.startswith("- "):
                    yield _ANNOTATION.sub(r"\1", line[2:]).strip()


def norwegian_files() -> list[Path]:
    """Every Norwegian NLU file, training and held out (the English ones live in data/nlu/en/)."""
    return sorted([*(DATA_DIR / "nlu").glob("*.yml"), *(TESTS_DIR / "nlu").glob("*.yml")])


def english_files() -> list[Path]:
    """The English training examples and the English held-out set."""
    return sorted([*(DATA_DIR / "nlu" / "en").glob("*.yml"), ENGLISH_HELD_OUT])


def reviewed_not_norwegian() -> set[str]:
    """Lines of the Norwegian files that a person checked are English or another language."""
    lines = NOT_NORWEGIAN.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


@dataclass
class Measured:
    """What the detector did on each set."""

    labelled: Counter[str] = field(default_factory=Counter)  # items per expected language
    right: Counter[str] = field(default_factory=Counter)  # answered in the expected language
    norwegian_switched: list[str] = field(default_factory=list)  # labelled Norwegian moved away
    norwegian_lines: int = 0
    false_switches: list[str] = field(default_factory=list)  # Norwegian NLU lines moved, not reviewed
    english_lines: int = 0
    english_to_norwegian: list[str] = field(default_factory=list)

    @property
    def false_switch_rate(self) -> float:
        return (len(self.false_switches) + len(self.norwegian_switched)) / max(
            1, self.norwegian_lines + self.labelled[NORWEGIAN]
        )


def measure() -> Measured:
    """The labelled set, the Norwegian NLU files (every switch must be a reviewed line) and the English files."""
    measured = Measured()
    items = read_yaml(LABELLED)["items"]
    for item in items:
        expected, found = item["expect"], language_of(item["text"])
        measured.labelled[expected] += 1
        if expected == NORWEGIAN:
            measured.right[expected] += found in (None, NORWEGIAN)
            if found not in (None, NORWEGIAN):
                measured.norwegian_switched.append(item["text"])
        else:
            measured.right[expected] += found == expected
    reviewed = reviewed_not_norwegian()
    for line in nlu_lines(norwegian_files()):
        measured.norwegian_lines += 1
        if language_of(line) not in (None, NORWEGIAN) and line not in reviewed:
            measured.false_switches.append(line)
    for line in nlu_lines(english_files()):
        measured.english_lines += 1
        if language_of(line) == NORWEGIAN:
            measured.english_to_norwegian.append(line)
    return measured


def report(measured: Measured) -> str:
    """A Markdown table of the figures."""
    rows = ["| language | messages | served in the right language |", "|---|---|---|"]
    for code in sorted(measured.labelled, key=lambda c: (c != NORWEGIAN, c != ENGLISH, c)):
        total, right = measured.labelled[code], measured.right[code]
        rows.append(f"| {code} | {total} | {right}/{total} ({100 * right / total:.0f} %) |")
    rows += [
        "",
        f"Norwegian moved away from Norwegian: {len(measured.norwegian_switched)} of {measured.labelled[NORWEGIAN]}"
        f" labelled messages and {len(measured.false_switches)} of {measured.norwegian_lines} lines of the Norwegian"
        f" NLU files ({100 * measured.false_switch_rate:.2f} %, goal at most 0.5 %).",
        f"English NLU lines taken for Norwegian: {len(measured.english_to_norwegian)} of {measured.english_lines}.",
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print(report(measure()))
