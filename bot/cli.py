"""`veivalg`: the one command for operators."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from bot.runtime_env import QUIET_ENVIRONMENT
from bot.settings import Settings, SettingsError, get_settings


def _prepare_spacy(settings: Settings) -> int:
    from bot.spacy_model import prepare_pipeline

    prepare_pipeline(settings.spacy_model_dir)  # says once in the log which pipeline is used
    return 0


def _init_databases(settings: Settings) -> int:
    from bot.databases import init_databases

    for line in init_databases(settings):
        print(f"[veivalg] {line}")
    return 0


def _train(settings: Settings, force: bool) -> int:
    from bot.spacy_model import prepare_pipeline
    from bot.training import TrainingError, needs_training, train

    pipeline = prepare_pipeline(settings.spacy_model_dir)
    if not force and not needs_training(settings, pipeline):
        print("[veivalg] modellen er oppdatert; ingen trening trengs")
        return 0
    print("[veivalg] trener modellen (tar noen minutter) ...")
    try:
        result = train(settings, pipeline, force=True)
    except TrainingError as exc:
        print(f"[veivalg] {exc}", file=sys.stderr)
        return 1
    print(f"[veivalg] modell klar: {result.model_path} ({result.seconds:.0f} s)")
    return 0


def _load_catalogue(settings: Settings) -> int:
    from bot.catalogue import nlu_data
    from bot.catalogue.loader import DATA_FOLDER, replace_catalogue
    from bot.catalogue.schema import CatalogueError, read_catalogue
    from bot.db import create_tables, session_factory

    try:
        catalogue = read_catalogue(DATA_FOLDER)
    except CatalogueError as exc:
        print(f"[veivalg] yrkeskatalogen har feil:\n{exc}", file=sys.stderr)
        return 1
    create_tables()
    with session_factory().begin() as session:
        count = replace_catalogue(catalogue, session=session)
    changed = nlu_data.write(catalogue)
    print(f"[veivalg] yrkeskatalogen: {count} yrker lastet inn" + ("; NLU-oppslag oppdatert" if changed else ""))
    return 0


def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    """Prepare spaCy, build the databases, load the catalogue and train when needed."""
    return (
        _prepare_spacy(settings)
        or _init_databases(settings)
        or _load_catalogue(settings)
        or _train(settings, force=False)
    )


def cmd_catalogue_load(args: argparse.Namespace, settings: Settings) -> int:
    """Check the catalogue's data files and load them into the database."""
    return _load_catalogue(settings)


def cmd_catalogue_show(args: argparse.Namespace, settings: Settings) -> int:
    """Resolve what a user might write and print the occupation found."""
    from bot.catalogue.service import resolver
    from bot.db import session_factory

    with session_factory().begin() as session:
        found = resolver(session=session).resolve(args.mention)
    if found.slug:
        print(found.slug)
        return 0
    if found.candidates:
        print("flere mulige: " + ", ".join(found.candidates))
        return 0
    print("fant ikke noe yrke" + (f" (kanskje: {', '.join(found.suggestions)})" if found.suggestions else ""))
    return 1


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    """Train the model when its inputs changed (or always, with --force)."""
    return _prepare_spacy(settings) or _train(settings, force=args.force)


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Start the action server and the Rasa server until Ctrl-C."""
    from bot import launcher

    return launcher.run(settings)


def cmd_run_scaled(args: argparse.Namespace, settings: Settings) -> int:
    """Start PostgreSQL, Redis, several Rasa servers with their action servers and nginx until Ctrl-C."""
    from bot import scaled

    return scaled.run(settings)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Chat in the terminal with the running bot, through the web process's chat gateway."""
    from bot.terminal_chat import main as chat_main

    return chat_main(args.server or settings.web_url, plain=args.plain, idle_seconds=args.idle)


def cmd_spacy(args: argparse.Namespace, settings: Settings) -> int:
    """Prepare the Norwegian spaCy pipeline and say which one is used."""
    return _prepare_spacy(settings)


def cmd_db_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create the databases and their tables."""
    return _init_databases(settings)


def cmd_tune_fallback(args: argparse.Namespace, settings: Settings) -> int:
    """Sweep FallbackClassifier thresholds over the held-out NLU files."""
    from bot.fallback_tuning import tune
    from bot.training import model_path

    out = settings.home / "results" / "fallback_tuning.md"
    chosen = tune(model_path(settings), sorted((settings.home / "tests" / "nlu").glob("*.yml")), out)
    print(
        f"[veivalg] anbefalt terskel {chosen.threshold:.2f}: {chosen.out_of_scope_caught:.0%} av utenfor-tema fanget, "
        f"{chosen.in_scope_lost:.0%} av riktige meldinger tapt. Rapport: {out}"
    )
    return 0


def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    """Print a user's «min plan», as text or as a printable HTML page (stored conversations only)."""
    import asyncio
    from datetime import date

    from rasa.shared.core.domain import Domain

    from bot.db import session_factory
    from bot.plan import plan_html, plan_messages
    from bot.tracker_store import ConsentTrackerStore

    store = ConsentTrackerStore(
        domain=Domain.from_path(str(settings.home / "domain.yml")), host=settings.tracker_store_url
    )
    tracker = asyncio.run(store.retrieve_full_tracker(args.sender_id))
    if tracker is None or not tracker.events:
        print(f"[veivalg] fant ingen lagret samtale med id {args.sender_id}", file=sys.stderr)
        return 1
    with session_factory().begin() as session:
        messages = plan_messages(tracker.current_slot_values(), session=session)
    if args.html:
        Path(args.html).write_text(plan_html(messages, date.today().strftime("%d.%m.%Y")), encoding="utf-8")
        print(f"[veivalg] utskriftsvennlig plan skrevet til {args.html}")
    else:
        print("\n\n".join(messages))
    return 0


def cmd_nlu_report(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate the NLU on the held-out files; fail below the macro-F1 gate or on a missed crisis."""
    from bot.nlu_report import MIN_MACRO_F1, run

    report = run(settings)
    print(
        f"[veivalg] språkforståelse på testsettet: macro-F1 {report.macro_f1:.3f} (krav {MIN_MACRO_F1:.2f}), "
        f"krisemeldinger som ble bommet på: {len(report.crisis_missed)}. Rapport: results/nlu/summary.md"
    )
    return 0 if report.passes() else 1


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Run Veivalg's Alembic migrations on VEIVALG_DATABASE_URL."""
    from sqlalchemy.engine import make_url

    from bot.migrations import upgrade

    upgrade(settings.database_url)
    print(f"Veivalg-databasen er oppdatert: {make_url(settings.database_url).render_as_string()}")
    return 0


def cmd_handoffs_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the counsellors' queue: urgent first, then oldest."""
    from bot.db import create_tables, session_factory
    from bot.handover import DONE, NEW, TAKEN, queue

    create_tables(settings.database_url)
    statuses = (NEW, TAKEN, DONE) if args.all else (NEW, TAKEN)
    with session_factory(settings.database_url).begin() as session:
        entries = [entry.as_dict() for entry in queue(session=session, statuses=statuses)]
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("Køen er tom.")
        return 0
    for entry in entries:
        flag = "HASTER " if entry["urgent"] else ""
        print(f"{flag}{entry['contact_code']}  {entry['status']:<6}  {entry['created_at'][:16]}  "
              f"{entry['sender_id']}  {entry['reason']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="veivalg", description="Veivalg: karriereveiledning som chatbot.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="KOMMANDO")

    commands.add_parser("setup", help="gjør klar spaCy, databaser og modell").set_defaults(func=cmd_setup)
    train = commands.add_parser("train", help="tren modellen hvis data er endret")
    train.add_argument("--force", action="store_true", help="tren selv om ingenting er endret")
    train.set_defaults(func=cmd_train)
    commands.add_parser("run", help="start handlingsserveren og Rasa").set_defaults(func=cmd_run)
    commands.add_parser(
        "run-scaled", help="start PostgreSQL, Redis, flere Rasa-servere og nginx foran"
    ).set_defaults(func=cmd_run_scaled)
    chat = commands.add_parser("chat", help="chat med Veivalg i terminalen")
    chat.add_argument("--server", metavar="URL", help="adressen til Veivalgs nettside (standard: den lokale)")
    chat.add_argument("--plain", action="store_true", help="linje for linje, for skjermleser og seriekonsoll")
    chat.add_argument("--idle", type=int, metavar="SEKUNDER", help="slett samtalen etter så lang tid uten aktivitet")
    chat.set_defaults(func=cmd_chat)
    commands.add_parser("spacy", help="gjør klar den norske spaCy-pipelinen").set_defaults(func=cmd_spacy)
    nlu = commands.add_parser("nlu", help="måling av språkforståelsen")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True, metavar="KOMMANDO")
    nlu_commands.add_parser("tune-fallback", help="finn terskelen for «forsto ikke»").set_defaults(
        func=cmd_tune_fallback
    )
    catalogue = commands.add_parser("catalogue", help="yrkeskatalogen")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="KOMMANDO")
    catalogue_commands.add_parser("load", help="sjekk og last inn datafilene").set_defaults(func=cmd_catalogue_load)
    resolve = catalogue_commands.add_parser("resolve", help="finn yrket i det en bruker skriver")
    resolve.add_argument("mention")
    resolve.set_defaults(func=cmd_catalogue_show)
    plan = commands.add_parser("plan", help="vis «min plan» for en lagret samtale")
    plan.add_argument("sender_id")
    plan.add_argument("--html", metavar="FIL", help="skriv en utskriftsvennlig side")
    plan.set_defaults(func=cmd_plan)
    nlu_commands.add_parser("report", help="mål språkforståelsen på testsettet").set_defaults(func=cmd_nlu_report)
    db = commands.add_parser("db", help="databaser")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="KOMMANDO")
    db_commands.add_parser("init", help="lag databasene og tabellene").set_defaults(func=cmd_db_init)
    db_commands.add_parser("upgrade", help="kjør Alembic-migreringene for Veivalgs egne tabeller").set_defaults(
        func=cmd_db_upgrade
    )
    handoffs = commands.add_parser("handoffs", help="køen av folk som vil snakke med en veileder")
    handoff_commands = handoffs.add_subparsers(dest="handoffs_command", required=True, metavar="KOMMANDO")
    handoff_list = handoff_commands.add_parser("list", help="vis køen, de som haster først")
    handoff_list.add_argument("--json", action="store_true", help="skriv JSON")
    handoff_list.add_argument("--all", action="store_true", help="ta med de som er ferdige")
    handoff_list.set_defaults(func=cmd_handoffs_list)
    _add_review_commands(commands)
    return parser


def _add_review_commands(commands: argparse._SubParsersAction) -> None:
    """`veivalg users add` and `veivalg transcripts show|list` (the review app)."""
    users = commands.add_parser("users", help="brukere av gjennomgangssidene")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="KOMMANDO")
    add = user_commands.add_parser("add", help="legg til en bruker (spør om passordet to ganger)")
    add.add_argument("username", metavar="BRUKERNAVN")
    add.add_argument("--role", required=True, choices=("counsellor", "leader", "admin"), help="rollen")
    add.add_argument("--password-stdin", action="store_true", help="les passordet fra standard inn")
    add.set_defaults(func=cmd_users_add)
    found = commands.add_parser("transcripts", help="lagrede samtaler")
    transcript_commands = found.add_subparsers(dest="transcripts_command", required=True, metavar="KOMMANDO")
    show = transcript_commands.add_parser("show", help="vis en lagret samtale")
    show.add_argument("sender_id", metavar="SAMTALE")
    show.add_argument("--json", action="store_true", help="skriv JSON")
    show.set_defaults(func=cmd_transcripts_show)
    listing = transcript_commands.add_parser("list", help="vis alle lagrede samtaler, nyeste først")
    listing.add_argument("--json", action="store_true", help="skriv JSON")
    listing.set_defaults(func=cmd_transcripts_list)
    purge = transcript_commands.add_parser("purge", help="slett samtaler eldre enn lagringstiden")
    purge.add_argument("--days", type=int, help="slett det som er eldre enn så mange dager (standard: innstillingen)")
    purge.set_defaults(func=cmd_transcripts_purge)
    delete = transcript_commands.add_parser("delete", help="slett én samtale med alt som hører til")
    delete.add_argument("sender_id", metavar="SAMTALE")
    delete.set_defaults(func=cmd_transcripts_delete)


def cmd_transcripts_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Delete every conversation with no message for the retention period (or --days)."""
    from bot.db import create_tables
    from bot.retention import purge

    if args.days is not None and args.days < 1:
        print("--days må være 1 eller mer.", file=sys.stderr)
        return 2
    create_tables(settings.database_url)
    result = purge(settings=settings, days=args.days)
    days = settings.retention_days if args.days is None else args.days
    print(f"Slettet {result.conversations} samtaler ({result.events} hendelser, {result.rows} andre rader) "
          f"uten meldinger de siste {days} dagene.")
    return 0


def cmd_transcripts_delete(args: argparse.Namespace, settings: Settings) -> int:
    """Delete one conversation, its transcript and summary; non-zero when it did not exist."""
    from bot.db import create_tables
    from bot.retention import delete_conversation

    create_tables(settings.database_url)
    if not delete_conversation(args.sender_id, settings=settings):
        print(f"Fant ingen lagret samtale med id {args.sender_id}.", file=sys.stderr)
        return 1
    print(f"Samtalen {args.sender_id} er slettet.")
    return 0


def cmd_users_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create a user of the review app; the password is asked for twice, or read from stdin."""
    import getpass

    from bot.db import create_tables, session_factory
    from bot.review.accounts import ROLE_NAMES, AccountError, create_user

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


def _audited_read(settings: Settings, action: str, sender_id: str | None = None) -> None:
    """Reads from the command line go into the review app's audit log too."""
    import getpass

    from bot.db import create_tables, session_factory
    from bot.review.audit import record

    create_tables(settings.database_url)
    with session_factory(settings.database_url).begin() as session:
        record(action, session=session, username=f"kommandolinje:{getpass.getuser()}", sender_id=sender_id)


def cmd_transcripts_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print one stored (redacted) conversation, as text or JSON."""
    from bot import transcripts
    from bot.db import create_tables

    create_tables(settings.database_url)  # «min plan» reads the catalogue's names
    with transcripts.session_factory(settings).begin() as session:
        found = transcripts.load_transcript(args.sender_id, session=session)
    if found is None:
        _audited_read(settings, "not_found", args.sender_id[:255])
        print(f"[veivalg] fant ingen lagret samtale med id {args.sender_id}", file=sys.stderr)
        return 1
    _audited_read(settings, "read", args.sender_id)
    if args.json:
        print(json.dumps(transcripts.transcript_as_json(found), ensure_ascii=False, indent=2))
    else:
        print(transcripts.transcript_as_text(found))
    return 0


def cmd_transcripts_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every stored conversation, most recently active first."""
    from bot import transcripts

    with transcripts.session_factory(settings).begin() as session:
        found = transcripts.list_conversations(session=session)
    _audited_read(settings, "list")
    if args.json:
        print(json.dumps([transcripts.summary_as_json(s) for s in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Ingen lagrede samtaler.")
        return 0
    for s in found:
        flags = " ".join(
            flag for flag, on in (("HASTER", s.urgent), ("VEILEDER", s.handover_requested),
                                  (f"FORSTO-IKKE:{s.fallbacks}", s.fallbacks)) if on
        )
        last = s.last_at.astimezone(transcripts.LOCAL_TZ)
        print(f"{s.sender_id}  {last:%d.%m.%Y %H.%M}  {s.channel or '-':<8} {s.user_messages:>3} meldinger  {flags}")
    return 0


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
    return int(args.func(args, settings))


if __name__ == "__main__":
    sys.exit(main())
