"""Measure the safety net: recall per kind and false alarms, on held-out files and by cross-validation."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.safety.assessment import CRISIS, LEVELS, POSSIBLE, THREAT, Assessment, assess
from bot.safety.classifier import POSSIBLE_THRESHOLD, Example, build_model, is_signal, ordinary_messages
from bot.safety.patterns import matching_level

START = "<!-- safety-report:start -->"
END = "<!-- safety-report:end -->"
FOLDS = 5


@dataclass
class Measurement:
    """What one set of labelled messages got: caught per kind, false alarms per level."""

    name: str
    caught: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    clear: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    alarms: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    negatives: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[tuple[str, str]] = field(default_factory=list)

    def add(self, example: Example, level: str | None) -> None:
        if not is_signal(example.label):
            self.negatives += 1
            if level is not None:
                self.alarms[level] += 1
                self.false_alarms.append((level, example.text))
            return
        key = example.kind if example.label == CRISIS else example.label
        self.caught[key][1] += 1
        self.caught[key][0] += level is not None
        if level is None:
            self.missed.append(example.text)
        if example.label in (CRISIS, THREAT):
            self.clear[key][1] += 1
            self.clear[key][0] += level == example.label

    @property
    def signals(self) -> int:
        return sum(total for _, total in self.caught.values())

    @property
    def recall(self) -> float:
        found = sum(hit for hit, _ in self.caught.values())
        return found / self.signals if self.signals else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return sum(self.alarms.values()) / self.negatives if self.negatives else 0.0

    @property
    def clear_false_alarm_rate(self) -> float:
        clear = self.alarms.get(CRISIS, 0) + self.alarms.get(THREAT, 0)
        return clear / self.negatives if self.negatives else 0.0


def measure(name: str, examples: Iterable[Example], judge: Callable[[str], Assessment] = assess) -> Measurement:
    """Run every example through the safety net (or `judge`)."""
    result = Measurement(name)
    for example in examples:
        result.add(example, judge(example.text).level)
    return result


def cross_validated(examples: list[Example], folds: int = FOLDS) -> Measurement:
    """Patterns plus a classifier trained without the fold it is judged on."""
    result = Measurement(f"training set, {folds}-fold cross-validation")
    for fold in range(folds):
        train = [e for i, e in enumerate(examples) if i % folds != fold]
        held = [e for i, e in enumerate(examples) if i % folds == fold]
        _judge_with(train, held, result)
    return result


def by_writer(examples: list[Example], *, patterns: bool = True) -> Measurement:
    """Each writer's file judged by a classifier trained without it: how the classifier meets a new writer."""
    name = "each writer's file, classifier trained without it" + ("" if patterns else ", classifier alone")
    result = Measurement(name)
    writers = sorted({e.source for e in examples if e.source != "nlu"})
    for writer in writers:
        train = [e for e in examples if e.source != writer]
        _judge_with(train, [e for e in examples if e.source == writer], result, patterns=patterns)
    return result


def _judge_with(train: list[Example], held: list[Example], result: Measurement, *, patterns: bool = True) -> None:
    model = build_model().fit([e.text for e in train], [int(is_signal(e.label)) for e in train])
    probabilities = model.predict_proba([e.text for e in held])[:, 1]
    for example, probability in zip(held, probabilities, strict=True):
        level = matching_level(example.text) if patterns else None
        if level is None and probability >= POSSIBLE_THRESHOLD:
            level = POSSIBLE
        result.add(example, level)


def _percent(hit: int, total: int) -> str:
    return f"{hit}/{total} ({hit / total:.0%})" if total else "–"


def as_markdown(measurements: list[Measurement], today: date) -> str:
    """The report as the block that goes into docs/safety.md."""
    kinds = sorted({k for m in measurements for k in m.caught})
    lines = [START, f"Measured {today.isoformat()} by `make safety-report`. A crisis or a threat counts as caught",
             "when it gets any answer (the crisis or threat answer, or the direct question); «clear» is the share that",
             "got the full answer at once. A false alarm is an ordinary message that got any of them.", "",
             "| | " + " | ".join(m.name for m in measurements) + " |",
             "|---|" + "---|" * len(measurements)]
    for kind in kinds:
        lines.append(f"| caught: {kind} | " + " | ".join(_percent(*m.caught[kind]) for m in measurements) + " |")
    for kind in kinds:
        if any(m.clear.get(kind) for m in measurements):
            cells = (_percent(*m.clear[kind]) if kind in m.clear else "–" for m in measurements)
            lines.append(f"| clear answer: {kind} | " + " | ".join(cells) + " |")
    lines.append("| **recall (any answer)** | " + " | ".join(f"**{m.recall:.1%}**" for m in measurements) + " |")
    lines.append("| **false alarms (any)** | " + " | ".join(
        f"**{m.false_alarm_rate:.1%}** of {m.negatives}" for m in measurements) + " |")
    lines.append("| false alarms with the full crisis or threat answer | " + " | ".join(
        f"{m.clear_false_alarm_rate:.1%}" for m in measurements) + " |")
    for level in LEVELS:
        lines.append(f"| false alarms at level {level} | " + " | ".join(
            str(m.alarms.get(level, 0)) for m in measurements) + " |")
    lines.append(END)
    return "\n".join(lines)


def write_into(document: Path, block: str) -> None:
    """Replace the report block in `document`, or add it at the end."""
    text = document.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    document.write_text(text, encoding="utf-8")


def ordinary_held_out(tests_dir: Path) -> list[Example]:
    """The NLU held-out messages of ordinary intents: every alarm on them is a false one."""
    return ordinary_messages(tests_dir / "nlu")


def held_out_sets(tests_dir: Path) -> list[tuple[str, Path]]:
    """The held-out files (never training data), by the name the report gives them."""
    return [("first held-out set (used for tuning the patterns)", tests_dir / "safety" / "heldout.yml"),
            ("eighth set (blind run 99.0 %, 9.0 %; since used for tuning)",
             tests_dir / "safety" / "heldout_eighth.yml"),
            ("ninth set (blind run 96.5 %, 11.0 %; since used for tuning)",
             tests_dir / "safety" / "heldout_ninth.yml"),
            ("eleventh set (blind run 96.9 %, 3.3 %; since used for tuning)",
             tests_dir / "safety" / "heldout_eleventh.yml")]
