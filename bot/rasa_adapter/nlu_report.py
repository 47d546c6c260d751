"""Held-out NLU quality: per-intent precision, recall and F1, and the gate `make test` applies."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bot.rasa_adapter.commands import nlu_test_command
from bot.safety.assessment import CRISIS_INTENT

MIN_MACRO_F1 = 0.90
# English (issue 19): the independent English held-out set, written by another hand than the training examples.
ENGLISH_HELD_OUT = "tests/languages/heldout_en_nlu.yml"
MIN_ENGLISH_MACRO_F1 = 0.90  # the floor; measured 0.929–0.938 on 2026-12-04


@dataclass(frozen=True)
class Scores:
    """Precision, recall, F1 and support of one intent."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Report:
    """The held-out evaluation and whether it passes the gate."""

    per_intent: dict[str, Scores]
    macro_f1: float
    crisis_missed: list[str]

    def passes(self, min_macro_f1: float = MIN_MACRO_F1) -> bool:
        return self.macro_f1 >= min_macro_f1 and not self.crisis_missed


def score(pairs: list[tuple[str, str, str]]) -> Report:
    """Scores from (text, expected intent, predicted intent) triples."""
    labels = sorted({expected for _, expected, _ in pairs})
    per_intent = {}
    for label in labels:
        tp = sum(e == label == p for _, e, p in pairs)
        fp = sum(e != label and p == label for _, e, p in pairs)
        fn = sum(e == label != p for _, e, p in pairs)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = Scores(precision, recall, f1, tp + fn)
    macro = sum(s.f1 for s in per_intent.values()) / len(per_intent) if per_intent else 0.0
    missed = [text for text, e, p in pairs if e == CRISIS_INTENT and p != CRISIS_INTENT]
    return Report(per_intent, macro, missed)


def read_results(folder: Path) -> list[tuple[str, str, str]]:
    """The triples from Rasa's intent_successes.json and intent_errors.json."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = folder / name
        if path.is_file():
            rows.extend(json.loads(path.read_text(encoding="utf-8")))
    return [(r["text"], r["intent"], r["intent_prediction"]["name"]) for r in rows]


def summary(report: Report) -> str:
    """A Markdown table, weakest intents first."""
    lines = [
        "# Held-out NLU evaluation",
        "",
        f"Macro-F1: **{report.macro_f1:.3f}** (gate {MIN_MACRO_F1:.2f}); crisis examples missed: "
        f"{len(report.crisis_missed)}. Confusion matrix: `intent_confusion_matrix.png`.",
        "",
        "| intent | precision | recall | F1 | examples |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in sorted(report.per_intent.items(), key=lambda item: item[1].f1):
        lines.append(f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.support} |")
    lines += [f"- missed crisis: {text}" for text in report.crisis_missed]
    return "\n".join(lines) + "\n"


def evaluate(model: Path, sets: list[tuple[str, Path]], *, cwd: Path, env: dict[str, str]) -> list[Report]:
    """Test the trained model on each (held-out files, out folder); write each folder's report and summary."""
    subprocess.run(
        nlu_test_command(model, sets), cwd=cwd, env=env, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    reports = []
    for _, out in sets:
        report = score(read_results(out))
        (out / "summary.md").write_text(summary(report), encoding="utf-8")
        reports.append(report)
    return reports
