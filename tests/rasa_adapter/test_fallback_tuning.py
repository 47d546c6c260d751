from __future__ import annotations

from pathlib import Path

from bot.rasa_adapter.fallback_tuning import Scored, choose, load_examples, report, sweep

SCORED = [
    Scored("hei", "greet", "greet", 0.99),
    Scored("hvordan blir jeg kokk", "ask_education_path", "ask_education_path", 0.80),
    Scored("ka e politiattest", "ask_politiattest", "ask_politiattest", 0.55),
    Scored("hva er det til middag", "out_of_scope", "out_of_scope", 0.95),
    Scored("hvem vant eurovision", "out_of_scope", "ask_occupation_info", 0.60),
    Scored("asdf", "out_of_scope", "greet", 0.40),
]


def test_sweep_counts_lost_right_and_caught():
    low, mid, high = sweep(SCORED, [0.3, 0.5, 0.7])

    assert (low.in_scope_lost, low.in_scope_correct, low.out_of_scope_caught) == (0.0, 1.0, 1 / 3)
    assert (mid.in_scope_lost, mid.out_of_scope_caught) == (0.0, 2 / 3)
    assert (high.in_scope_lost, high.out_of_scope_caught) == (1 / 3, 1.0)


def test_choose_catches_most_while_keeping_right_answers():
    rows = sweep(SCORED, [0.3, 0.5, 0.7])

    assert choose(rows, max_drop=0.0).threshold == 0.5
    assert choose(rows, max_drop=0.5).threshold == 0.7


def test_report_lists_the_misses():
    rows = sweep(SCORED, [0.5])
    text = report(SCORED, rows, rows[0])

    assert "| 0.50 **chosen** | 0.0% | 100.0% | 66.7% |" in text
    assert "- 0.60 ask_occupation_info: hvem vant eurovision" in text


def test_load_examples_strips_entity_markup(tmp_path: Path):
    path = tmp_path / "nlu.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: ask_occupation_info\n  examples: |\n    - hva gjør en [tømrer](occupation)\n'
    )

    assert load_examples([path]) == [("hva gjør en tømrer", "ask_occupation_info")]
