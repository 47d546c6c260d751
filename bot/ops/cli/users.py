"""`veivalg users add`: accounts for the review app."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create a user of the review app; the password is asked for twice, or read from stdin."""
    import getpass

    from bot.staff.accounts import ROLE_NAMES, AccountError, create_user
    from bot.storage.engine import session_factory
    from bot.storage.schema import create_tables

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Passord: ")
        if getpass.getpass("Passord en gang til: ") != password:
            print("[veivalg] Passordene er ikke like. Ingen bruker ble laget.", file=sys.stderr)
            return 1
    create_tables(settings.database_url)
    try:
        with session_factory(settings.database_url).begin() as session:
            user = create_user(args.username, password, args.role, session=session)
            name, role = user.username, ROLE_NAMES[user.role]
    except AccountError as exc:
        print(f"[veivalg] {exc}", file=sys.stderr)
        return 1
    print(f"[veivalg] brukeren «{name}» er laget, med rollen {role.lower()}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """`users add`."""
    users = commands.add_parser("users", help="brukere av gjennomgangssidene")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="KOMMANDO")
    add = user_commands.add_parser("add", help="legg til en bruker (spør om passordet to ganger)")
    add.add_argument("username", metavar="BRUKERNAVN")
    add.add_argument("--role", required=True, choices=("counsellor", "leader", "admin"), help="rollen")
    add.add_argument("--password-stdin", action="store_true", help="les passordet fra standard inn")
    add.set_defaults(func=cmd_users_add)
