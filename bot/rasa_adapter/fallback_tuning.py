"""Choose the FallbackClassifier threshold from held-out messages, in scope and out of scope."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"


@dataclass(frozen=True)
class Scored:
    """One held-out message with the model's best real intent and its confidence."""

    text: str
    expected: str
    predicted: str
    confidence: float

    @property
    def in_scope(self) -> bool:
        """True when the message belongs to a guidance intent."""
        return self.expected != OUT_OF_SCOPE


@dataclass(frozen=True)
class Row:
    """What one threshold would do to the held-out messages."""

    threshold: float
    in_scope_lost: float  # in-scope messages pushed to the fallback
    in_scope_correct: float  # in-scope messages classified right and kept
    out_of_scope_caught: float  # out-of-scope messages that end in out_of_scope or the fallback


def load_examples(paths: Iterable[Path]) -> list[tuple[str, str]]:
    """(text, intent) pairs from Rasa NLU YAML files, entity markup removed."""
    from rasa.shared.nlu.training_data.loading import load_data

    pairs: list[tuple[str, str]] = []
    for path in paths:
        data = load_data(str(path))
        pairs.extend((m.get("text"), m.get("intent")) for m in data.intent_examples)
    return pairs


async def score(model_path: Path, examples: Sequence[tuple[str, str]]) -> list[Scored]:
    """Parse each message with the trained model; keep the best intent other than the fallback."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model_path))
    scored: list[Scored] = []
    for text, expected in examples:
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed.get("intent_ranking", []) if r.get("name") != FALLBACK]
        name, confidence = (ranking[0]["name"], ranking[0]["confidence"]) if ranking else (FALLBACK, 0.0)
        scored.append(Scored(text, expected, str(name), float(confidence)))
    return scored


def sweep(scored: Sequence[Scored], thresholds: Sequence[float]) -> list[Row]:
    """For each threshold: share of in-scope messages lost or kept right, share of out-of-scope caught."""
    inside = [s for s in scored if s.in_scope] or []
    outside = [s for s in scored if not s.in_scope] or []
    rows = []
    for t in thresholds:
        lost = sum(s.confidence < t for s in inside)
        right = sum(s.confidence >= t and s.predicted == s.expected for s in inside)
        caught = sum(s.confidence < t or s.predicted == OUT_OF_SCOPE for s in outside)
        rows.append(
            Row(t, lost / max(len(inside), 1), right / max(len(inside), 1), caught / max(len(outside), 1))
        )
    return rows


def choose(rows: Sequence[Row], max_drop: float = 0.015) -> Row:
    """The threshold that catches the most out-of-scope messages while the share of in-scope messages
    answered right drops by at most `max_drop` from its best. In-scope messages pushed to the fallback
    are mostly ones the model had wrong anyway; the fallback asks again instead of guessing."""
    best_right = max(r.in_scope_correct for r in rows)
    allowed = [r for r in rows if best_right - r.in_scope_correct <= max_drop + 1e-9]
    return max(allowed, key=lambda r: (r.out_of_scope_caught, r.in_scope_correct, -r.threshold))


def report(scored: Sequence[Scored], rows: Sequence[Row], chosen: Row) -> str:
    """A Markdown report of the sweep and the out-of-scope confidences."""
    lines = [
        "# Fallback threshold tuning",
        "",
        f"Held-out messages: {sum(s.in_scope for s in scored)} in scope, "
        f"{sum(not s.in_scope for s in scored)} out of scope.",
        "",
        "| threshold | in scope lost to fallback | in scope right | out of scope caught |",
        "|---:|---:|---:|---:|",
    ]
    for r in rows:
        mark = " **chosen**" if r == chosen else ""
        lines.append(
            f"| {r.threshold:.2f}{mark} | {r.in_scope_lost:.1%} | {r.in_scope_correct:.1%} | "
            f"{r.out_of_scope_caught:.1%} |"
        )
    lines += ["", "Out-of-scope messages the model took for a guidance intent:", ""]
    for s in sorted((s for s in scored if not s.in_scope and s.predicted != OUT_OF_SCOPE), key=lambda s: -s.confidence):
        lines.append(f"- {s.confidence:.2f} {s.predicted}: {s.text}")
    return "\n".join(lines) + "\n"


def tune(model_path: Path, heldout: Iterable[Path], out: Path) -> Row:
    """Score the held-out files, sweep thresholds, write the report; return the chosen row."""
    scored = asyncio.run(score(model_path, load_examples(heldout)))
    rows = sweep(scored, [round(0.30 + 0.05 * i, 2) for i in range(14)])
    chosen = choose(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report(scored, rows, chosen), encoding="utf-8")
    return chosen
