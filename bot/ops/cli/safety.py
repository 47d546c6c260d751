"""`veivalg safety report`: measure the safety net and write the figures into docs/safety.md."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def cmd_safety_report(args: argparse.Namespace, settings: Settings) -> int:
    """Held-out recall per kind and false alarms, and cross-validated figures on the training set."""
    from bot.clock import utcnow
    from bot.safety.classifier import load_examples, training_examples
    from bot.safety.report import (
        as_markdown,
        by_writer,
        cross_validated,
        held_out_sets,
        measure,
        ordinary_held_out,
        write_into,
    )

    tests = settings.home / "tests"
    measurements = [measure(name, load_examples(path)) for name, path in held_out_sets(tests) if path.exists()]
    measurements.append(measure("ordinary messages (NLU held-out)", ordinary_held_out(tests)))
    training = training_examples()
    measurements += [cross_validated(training), by_writer(training), by_writer(training, patterns=False)]
    block = as_markdown(measurements, utcnow().date())
    write_into(settings.home / "docs" / "safety.md", block)
    for m in measurements:
        print(f"[veivalg] {m.name}: fanget {m.recall:.1%} av {m.signals}, falske alarmer {m.false_alarm_rate:.1%} "
              f"av {m.negatives} (full kriseberedskap ved feil: {m.clear_false_alarm_rate:.1%})")
        for text in m.missed if args.verbose else []:
            print(f"    bommet: {text}")
        for level, text in m.false_alarms if args.verbose else []:
            print(f"    falsk alarm ({level}): {text}")
    print("[veivalg] skrevet til docs/safety.md")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """`safety report`."""
    group = commands.add_parser("safety", help="sikkerhetsnettet: mål treff og falske alarmer")
    sub = group.add_subparsers(dest="safety_command", required=True, metavar="KOMMANDO")
    report = sub.add_parser("report", help="skriv tallene til docs/safety.md")
    report.add_argument("--verbose", action="store_true", help="vis hver bom og hver falske alarm")
    report.set_defaults(func=cmd_safety_report)
