"""`veivalg`: the one command for operators, one module per command group."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence

from bot.ops.cli import conversations, nlu, safety, serve, setup, users
from bot.ops.private_files import make_private
from bot.ops.runtime_env import QUIET_ENVIRONMENT
from bot.settings import SettingsError, get_settings


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="veivalg", description="Veivalg: karriereveiledning som chatbot.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")
    for group in (setup, serve, nlu, safety, conversations, users):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, load settings, run the subcommand."""
    args = build_parser().parse_args(argv)
    for key, value in QUIET_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    warnings.filterwarnings("ignore")
    logging.basicConfig(level=os.environ.get("VEIVALG_LOG_LEVEL", "INFO"), format="[veivalg] %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin and DDL notes are not for the console
    try:
        settings = get_settings()
    except SettingsError as exc:
        print(f"[veivalg] Feil i innstillingene: {exc}", file=sys.stderr)
        return 2
    os.chdir(settings.home)
    make_private(settings.var_dir)
    return int(args.func(args, settings))


if __name__ == "__main__":
    sys.exit(main())
