"""The profile's own PostgreSQL: its cluster, role and database, and Veivalg's tables in it."""

from __future__ import annotations

import psycopg2  # type: ignore[import-untyped]

from bot.ops.launcher import echo
from bot.ops.scaled.configuration import render
from bot.ops.scaled.profile import DATABASE, ROLE, SUPERUSER, ScaledSettings, generated_password
from bot.ops.scaled.programs import own, postgres_bin_dir, service_user
from bot.settings import Settings


def prepare_postgres(scaled: ScaledSettings) -> None:
    """Create the cluster in var/scaled/pg on first use and write Veivalg's settings into it."""
    import subprocess

    user = service_user()
    for folder, mode in ((scaled.pg_data, 0o700), (scaled.pg_socket_dir, 0o700)):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(mode)
        own(folder, user)
    if not (scaled.pg_data / "PG_VERSION").is_file():
        echo(f"lager PostgreSQL-databasen i {scaled.pg_data} ...")
        result = subprocess.run(
            [
                str(postgres_bin_dir() / "initdb"), "-D", str(scaled.pg_data), "-U", SUPERUSER,
                "--auth-local=trust", "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8",
            ],
            cwd="/", capture_output=True, text=True, user=user, group=user, extra_groups=[] if user else None,
        )
        if result.returncode != 0:
            raise RuntimeError(f"initdb feilet:\n{result.stdout}\n{result.stderr}")
    settings_file = scaled.pg_data / "veivalg.conf"
    settings_file.write_text(render("postgresql.conf.j2", host="127.0.0.1"), encoding="utf-8")
    own(settings_file, user)
    main_file = scaled.pg_data / "postgresql.conf"
    include = "include_if_exists = 'veivalg.conf'"
    if include not in main_file.read_text(encoding="utf-8"):
        with main_file.open("a", encoding="utf-8") as file:
            file.write(f"\n# Veivalg's settings (deploy/postgresql.conf.j2)\n{include}\n")


def postgres_ready(scaled: ScaledSettings) -> bool:
    """True when the server accepts a connection on its private socket."""
    try:
        connection = psycopg2.connect(
            host=str(scaled.pg_socket_dir), port=scaled.postgres_port, user=SUPERUSER, dbname="postgres",
            connect_timeout=2,
        )
    except psycopg2.Error:
        return False
    connection.close()
    return True


def ensure_role_and_database(scaled: ScaledSettings) -> None:
    """Create the `veivalg` role and database on first use; keep the role's password in step with the file."""
    password = generated_password(scaled.password_path)
    connection = psycopg2.connect(
        host=str(scaled.pg_socket_dir), port=scaled.postgres_port, user=SUPERUSER, dbname="postgres"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,))
            verb = "ALTER" if cursor.fetchone() else "CREATE"
            cursor.execute(f"{verb} ROLE {ROLE} LOGIN PASSWORD %s", (password,))
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE DATABASE {DATABASE} OWNER {ROLE} ENCODING 'UTF8'")
                echo(f"databasen {DATABASE} er laget")
    finally:
        connection.close()


def prepare_databases(settings: Settings) -> None:
    """Tables of the conversation store and of Veivalg, and the occupation catalogue, in PostgreSQL."""
    from bot.catalogue.loader import DATA_FOLDER, replace_catalogue
    from bot.catalogue.schema import read_catalogue
    from bot.ops.databases import init_databases
    from bot.storage.engine import engine_for, session_factory
    from bot.storage.migrations import upgrade

    # Veivalg's migrations first: both share one database here, and `upgrade` would take a database
    # that already has Rasa's `events` table for one built before migrations, and only stamp it.
    upgrade(settings.database_url)
    for line in init_databases(settings):
        echo(line)
    with session_factory(settings.database_url).begin() as session:
        count = replace_catalogue(read_catalogue(DATA_FOLDER), session=session)
    engine_for(settings.database_url).dispose()
    echo(f"yrkeskatalogen: {count} yrker lastet inn")
