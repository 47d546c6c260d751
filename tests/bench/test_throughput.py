"""The same-run comparison under load: levels, the results table, the p95 ratios and the moodbot's turns."""

from __future__ import annotations

import argparse

import pytest

from bench.scenarios import MOODBOT_TURNS, moodbot_conversation
from bench.store_check import Summary, Verification
from bench.throughput import (
    BARE,
    EMBEDDED,
    SCALED,
    Level,
    Result,
    errors_text,
    levels,
    parse_users,
    plot,
    ratio_rows,
    ratio_text,
    row,
    section,
)

SEQUENTIAL = Level(1, 0.0, 60.0, 0.0)
THIRTY = Level(30, 2.0, 90.0, 10.0)


def summary(p95: float, errors: dict[str, int] | None = None, users: int = 1) -> Summary:
    return Summary(users=users, turns=100, acknowledged=100 - sum((errors or {}).values()), errors=errors or {},
                   unexpected=0, p50_ms=p95 / 2, p95_ms=p95, p99_ms=p95 * 1.5, max_ms=p95 * 2,
                   turns_per_second=12.345, wall_seconds=60.0)


def result(target: str, level: Level, p95: float, checked: bool = True, errors: dict[str, int] | None = None) -> Result:
    verification = Verification(checked=5, not_checked=0, acknowledged_messages=50, failures=[]) if checked else None
    return Result(target, level, summary(p95, errors, level.users), verification)


def test_user_counts_are_parsed_once_each_in_rising_order():
    assert parse_users("50, 1,30,30") == [1, 30, 50]
    assert parse_users("5") == [5]


@pytest.mark.parametrize("text", ["", "0,30", "-1", "thirty", "1;30"])
def test_bad_user_counts_are_refused(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_users(text)


def test_one_user_is_the_sequential_level_without_pause_or_ramp():
    plan = levels([1, 30, 50], think=2.0, duration=90.0, ramp=10.0, sequential_s=60.0)
    assert plan == [SEQUENTIAL, THIRTY, Level(50, 2.0, 90.0, 10.0)]
    assert plan[0].sequential and not plan[1].sequential
    assert levels([5], 2.0, 20.0, 2.0, 20.0) == [Level(5, 2.0, 20.0, 2.0)]


def test_errors_are_counted_with_their_kinds():
    assert errors_text({}) == "0"
    assert errors_text({"timeout": 1, "empty answer": 2}) == "3 (empty answer 2, timeout 1)"


def test_a_ratio_needs_both_values():
    assert ratio_text(150.0, 100.0) == "1.5x"
    assert ratio_text(150.0, 0.0) == "–"
    assert ratio_text(0.0, 100.0) == "–"


def test_a_row_has_the_latencies_throughput_errors_and_the_store_check():
    line = row(result(EMBEDDED, THIRTY, 400.0, errors={"timeout": 2}))
    assert line == "| Veivalg embedded | 30 | 2 s | 98 / 100 | 200 | 400 | 600 | 12.3 | 2 (timeout 2) | 0 / 0 |"
    bare = row(result(BARE, SEQUENTIAL, 80.0, checked=False))
    assert bare.startswith("| bare Rasa | 1 (sequential) | 0 s |")
    assert bare.endswith("| 0 | – |")


def test_the_ratio_table_divides_each_veivalg_p95_by_bare_rasas_at_the_same_level():
    results = [
        result(BARE, SEQUENTIAL, 80.0, checked=False), result(BARE, THIRTY, 100.0, checked=False),
        result(EMBEDDED, SEQUENTIAL, 120.0), result(EMBEDDED, THIRTY, 250.0),
        result(SCALED, THIRTY, 180.0),
    ]
    lines = ratio_rows(results)
    assert lines[0] == ("| users | bare Rasa p95 | Veivalg embedded p95 | Veivalg embedded / bare | "
                        "Veivalg scaled p95 | Veivalg scaled / bare |")
    assert lines[1] == "|---|---:|---:|---:|---:|---:|"
    assert lines[2] == "| 1 (sequential) | 80 ms | 120 ms | **1.5x** | – | **–** |"
    assert lines[3] == "| 30 | 100 ms | 250 ms | **2.5x** | 180 ms | **1.8x** |"


def test_without_the_scaled_profile_the_ratio_table_has_no_scaled_columns():
    lines = ratio_rows([result(BARE, THIRTY, 100.0, checked=False), result(EMBEDDED, THIRTY, 300.0)])
    assert lines[0] == "| users | bare Rasa p95 | Veivalg embedded p95 | Veivalg embedded / bare |"
    assert lines[2] == "| 30 | 100 ms | 300 ms | **3.0x** |"


def test_the_section_has_the_date_the_setup_both_tables_and_the_notes():
    results = [result(BARE, SEQUENTIAL, 80.0, checked=False), result(BARE, THIRTY, 100.0, checked=False),
               result(EMBEDDED, SEQUENTIAL, 120.0), result(EMBEDDED, THIRTY, 250.0)]
    text = section(results, "Measured today.", ["Veivalg scaled not measured: no nginx"],
                   "docs/performance-throughput.png")
    assert text.startswith("## Throughput: Veivalg against bare Rasa under load, in the same run\n")
    assert "Measured today. Load average at the end:" in text
    assert "Sequential: one user, no pause between turns, for 60 s." in text
    assert "users start over 10 s and pause 2 s on average" in text
    assert "for 90 s per level" in text
    assert text.count("| bare Rasa |") == 2 and text.count("| Veivalg embedded |") == 2
    assert "| 30 | 100 ms | 250 ms | **2.5x** |" in text
    assert "- Veivalg scaled not measured: no nginx" in text
    assert text.endswith("- Latency against users: `docs/performance-throughput.png`.\n")


def test_the_picture_is_a_png(tmp_path):
    results = [result(BARE, SEQUENTIAL, 80.0, checked=False), result(BARE, THIRTY, 100.0, checked=False),
               result(EMBEDDED, SEQUENTIAL, 120.0), result(EMBEDDED, THIRTY, 250.0)]
    path = plot(results, tmp_path / "sub" / "throughput.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_moodbot_expects_no_veivalg_phrase():
    steps = moodbot_conversation()
    assert [s.text for s in steps] == list(MOODBOT_TURNS)
    assert all(not s.expect and not s.button and not s.consent for s in steps)
