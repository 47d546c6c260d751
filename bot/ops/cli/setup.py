"""`veivalg setup|train|spacy|db|catalogue`: prepare a machine and its data."""

from __future__ import annotations

import argparse
import sys

from bot.settings import Settings


def _prepare_spacy(settings: Settings) -> int:
    from bot.ops.spacy_model import prepare_pipeline

    prepare_pipeline(settings.spacy_model_dir)  # says once in the log which pipeline is used
    return 0


def _init_databases(settings: Settings) -> int:
    from bot.ops.databases import init_databases

    for line in init_databases(settings):
        print(f"[veivalg] {line}")
    return 0


def _train(settings: Settings, force: bool) -> int:
    from bot.ops.spacy_model import prepare_pipeline
    from bot.ops.training import TrainingError, needs_training, train

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
    """Check the catalogue's files and load them, unless the database already holds exactly these files."""
    from bot.catalogue import nlu_data
    from bot.catalogue.loader import DATA_FOLDER, replace_catalogue, stored_count
    from bot.catalogue.schema import CatalogueError, read_catalogue
    from bot.paths import PROJECT_ROOT, files_fingerprint
    from bot.storage.engine import session_factory
    from bot.storage.migrations import upgrade

    upgrade(settings.database_url)  # the catalogue's tables as the newest migration has them
    stamp = settings.var_dir / "catalogue.loaded"

    def loaded(count: int) -> str:
        data = files_fingerprint(PROJECT_ROOT, (DATA_FOLDER, nlu_data.GENERATED_FILE))
        return f"{settings.database_url}\n{data}\n{count}\n"

    with session_factory().begin() as session:
        count = stored_count(session=session)
    if count and stamp.is_file() and stamp.read_text(encoding="utf-8") == loaded(count):
        print(f"[veivalg] yrkeskatalogen er uendret: {count} yrker")
        return 0
    try:
        catalogue = read_catalogue(DATA_FOLDER)
    except CatalogueError as exc:
        print(f"[veivalg] yrkeskatalogen har feil:\n{exc}", file=sys.stderr)
        return 1
    with session_factory().begin() as session:
        count = replace_catalogue(catalogue, session=session)
    changed = nlu_data.write(catalogue)
    settings.var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp.write_text(loaded(count), encoding="utf-8")
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
    from bot.storage.engine import session_factory

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


def cmd_spacy(args: argparse.Namespace, settings: Settings) -> int:
    """Prepare the Norwegian spaCy pipeline and say which one is used."""
    return _prepare_spacy(settings)


def cmd_db_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create the databases and their tables."""
    return _init_databases(settings)


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    """Run Veivalg's Alembic migrations on VEIVALG_DATABASE_URL."""
    from sqlalchemy.engine import make_url

    from bot.storage.migrations import upgrade

    upgrade(settings.database_url)
    print(f"Veivalg-databasen er oppdatert: {make_url(settings.database_url).render_as_string()}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """`setup`, `train`, `spacy`, `db init|upgrade` and `catalogue load|resolve`."""
    commands.add_parser("setup", help="gjør klar spaCy, databaser og modell").set_defaults(func=cmd_setup)
    train = commands.add_parser("train", help="tren modellen hvis data er endret")
    train.add_argument("--force", action="store_true", help="tren selv om ingenting er endret")
    train.set_defaults(func=cmd_train)
    commands.add_parser("spacy", help="gjør klar den norske spaCy-pipelinen").set_defaults(func=cmd_spacy)
    catalogue = commands.add_parser("catalogue", help="yrkeskatalogen")
    catalogue_commands = catalogue.add_subparsers(dest="catalogue_command", required=True, metavar="KOMMANDO")
    catalogue_commands.add_parser("load", help="sjekk og last inn datafilene").set_defaults(func=cmd_catalogue_load)
    resolve = catalogue_commands.add_parser("resolve", help="finn yrket i det en bruker skriver")
    resolve.add_argument("mention")
    resolve.set_defaults(func=cmd_catalogue_show)
    db = commands.add_parser("db", help="databaser")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="KOMMANDO")
    db_commands.add_parser("init", help="lag databasene og tabellene").set_defaults(func=cmd_db_init)
    db_commands.add_parser("upgrade", help="kjør Alembic-migreringene for Veivalgs egne tabeller").set_defaults(
        func=cmd_db_upgrade
    )
