"""`veivalg nlu report|tune-fallback`: measure the language understanding."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def cmd_tune_fallback(args: argparse.Namespace, settings: Settings) -> int:
    """Sweep FallbackClassifier thresholds over the held-out NLU files."""
    from bot.ops.training import model_path
    from bot.rasa_adapter.fallback_tuning import tune

    out = settings.home / "results" / "fallback_tuning.md"
    chosen = tune(model_path(settings), sorted((settings.home / "tests" / "nlu").glob("*.yml")), out)
    print(
        f"[veivalg] anbefalt terskel {chosen.threshold:.2f}: {chosen.out_of_scope_caught:.0%} av utenfor-tema fanget, "
        f"{chosen.in_scope_lost:.0%} av riktige meldinger tapt. Rapport: {out}"
    )
    return 0


def cmd_nlu_report(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate the NLU on the held-out files; fail below the macro-F1 gate or on a missed crisis."""
    from bot.ops.runtime_env import child_environment
    from bot.ops.training import model_path
    from bot.rasa_adapter.nlu_report import ENGLISH_HELD_OUT, MIN_ENGLISH_MACRO_F1, MIN_MACRO_F1, evaluate

    out = settings.home / "results" / "nlu"
    env = child_environment(settings)
    report, english = evaluate(
        model_path(settings), [("tests/nlu", out), (ENGLISH_HELD_OUT, out.with_name("nlu_en"))],
        cwd=settings.home, env=env,
    )
    print(
        f"[veivalg] språkforståelse på testsettet: macro-F1 {report.macro_f1:.3f} (krav {MIN_MACRO_F1:.2f}), "
        f"krisemeldinger som ble bommet på: {len(report.crisis_missed)}. Rapport: results/nlu/summary.md"
    )
    print(
        f"[veivalg] engelsk testsett: macro-F1 {english.macro_f1:.3f} (krav {MIN_ENGLISH_MACRO_F1:.2f}), "
        f"krisemeldinger som ble bommet på: {len(english.crisis_missed)}. Rapport: results/nlu_en/summary.md"
    )
    return 0 if report.passes() and english.passes(MIN_ENGLISH_MACRO_F1) else 1


def register(commands: argparse._SubParsersAction) -> None:
    """`nlu report` and `nlu tune-fallback`."""
    nlu = commands.add_parser("nlu", help="måling av språkforståelsen")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True, metavar="KOMMANDO")
    nlu_commands.add_parser("tune-fallback", help="finn terskelen for «forsto ikke»").set_defaults(
        func=cmd_tune_fallback
    )
    nlu_commands.add_parser("report", help="mål språkforståelsen på testsettet").set_defaults(func=cmd_nlu_report)
