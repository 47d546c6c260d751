"""`veivalg run|run-scaled|chat`: start Veivalg, or talk to it."""

from __future__ import annotations

import argparse

from bot.settings import Settings


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the action server and the Rasa server until Ctrl-C."""
    from bot.ops import launcher
    return launcher.run(settings)


def cmd_run_scaled(args: argparse.Namespace, settings: Settings) -> int:
    """Start PostgreSQL, Redis, several Rasa servers with their action servers and nginx until Ctrl-C."""
    from bot.ops import scaled
    return scaled.run(settings)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Chat in the terminal with the running bot, through the web process's chat gateway."""
    from bot.clients.terminal.run import main as chat_main

    return chat_main(args.server or settings.web_url, plain=args.plain, idle_seconds=args.idle)


def register(commands: argparse._SubParsersAction) -> None:
    """`run`, `run-scaled` and `chat`."""
    commands.add_parser("run", help="start Rasa (med handlingene) og nettsiden").set_defaults(func=cmd_run)
    commands.add_parser(
        "run-scaled", help="start PostgreSQL, Redis, flere Rasa-servere og nginx foran"
    ).set_defaults(func=cmd_run_scaled)
    chat = commands.add_parser("chat", help="chat med Veivalg i terminalen")
    chat.add_argument("--server", metavar="URL", help="adressen til Veivalgs nettside (standard: den lokale)")
    chat.add_argument("--plain", action="store_true", help="linje for linje, for skjermleser og seriekonsoll")
    chat.add_argument("--idle", type=int, metavar="SEKUNDER", help="slett samtalen etter så lang tid uten aktivitet")
    chat.set_defaults(func=cmd_chat)
