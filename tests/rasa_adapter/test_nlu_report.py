from __future__ import annotations

import json

from bot.rasa_adapter.nlu_report import read_results, score, summary


def test_scores_and_gate():
    pairs = [
        ("hei", "greet", "greet"),
        ("heisann", "greet", "greet"),
        ("ha det", "goodbye", "goodbye"),
        ("bye", "goodbye", "greet"),
        ("vil ikke leve", "express_crisis", "express_crisis"),
    ]
    report = score(pairs)

    assert round(report.per_intent["greet"].f1, 3) == 0.8
    assert round(report.per_intent["goodbye"].recall, 2) == 0.5
    assert round(report.macro_f1, 3) == round((0.8 + 2 / 3 + 1.0) / 3, 3)
    assert report.crisis_missed == [] and not report.passes(0.9) and report.passes(0.8)


def test_a_missed_crisis_fails_whatever_the_f1(tmp_path):
    (tmp_path / "intent_successes.json").write_text(
        json.dumps([{"text": "hei", "intent": "greet", "intent_prediction": {"name": "greet", "confidence": 1}}])
    )
    (tmp_path / "intent_errors.json").write_text(
        json.dumps(
            [
                {
                    "text": "orker ikke mer",
                    "intent": "express_crisis",
                    "intent_prediction": {"name": "deny", "confidence": 0.4},
                }
            ]
        )
    )

    report = score(read_results(tmp_path))

    assert report.crisis_missed == ["orker ikke mer"] and not report.passes(0.0)
    assert "- missed crisis: orker ikke mer" in summary(report)
