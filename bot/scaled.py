"""The scaled profile: PostgreSQL, Redis, several Rasa servers with their action servers, nginx in front.

`veivalg run-scaled` runs every part as a child process on 127.0.0.1, with data, generated
configuration, logs and pid files under `var/scaled/`, and supervises them like `veivalg run`.
Each Rasa server has its own action server (a pair): a crashed action server only hurts the
conversations of its pair, and the pairs use both cores.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.engine import make_url

from bot.launcher import Service, echo, start_service, stop_all, stop_on_signals, supervise, watch
from bot.runtime_env import child_environment
from bot.settings import Config, Settings, SettingsError
from bot.training import model_path

DEPLOY_FOLDER = Path(__file__).resolve().parents[1] / "deploy"
ENDPOINTS = "endpoints.scaled.yml"
DATABASE = "veivalg"
ROLE = "veivalg"
SUPERUSER = "postgres"
SENDER_HEADER = "X-Veivalg-Sender"
MISSING_PACKAGES = "Kjør `make scaled-deps` (installerer postgresql, redis-server og nginx-light)."


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 < value < 65536:
        raise ValueError("must be a port number between 1 and 65535")
    return value


def _server_count(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 16:
        raise ValueError("must be a whole number from 1 to 16")
    return value


@dataclass(frozen=True)
class ScaledSettings:
    """Where each part of the scaled profile listens and keeps its files."""

    base: Settings
    folder: Path
    postgres_port: int
    redis_host: str
    redis_port: int
    gateway_port: int
    rasa_servers: int

    @property
    def local_postgres(self) -> bool:
        """False when VEIVALG_TRACKER_STORE_URL already names a PostgreSQL server to use instead."""
        return make_url(self.base.tracker_store_url).get_backend_name() != "postgresql"

    @property
    def local_redis(self) -> bool:
        """False when VEIVALG_REDIS_HOST names a Redis on another machine."""
        return self.redis_host in {"127.0.0.1", "localhost", "::1"}

    @property
    def log_dir(self) -> Path:
        return self.folder / "log"

    @property
    def run_dir(self) -> Path:
        return self.folder / "run"

    @property
    def pg_data(self) -> Path:
        return self.folder / "pg"

    @property
    def pg_socket_dir(self) -> Path:
        return self.folder / "pg-socket"

    @property
    def password_path(self) -> Path:
        return self.folder / "postgres-password"

    @property
    def model_dir(self) -> Path:
        """Every Rasa server loads the same copy of the model, even when `models/` is retrained meanwhile."""
        return self.folder / "model"

    @property
    def rasa_ports(self) -> list[int]:
        """The Rasa servers listen just above the gateway: 5006, 5007, ... by default."""
        return [self.gateway_port + 1 + i for i in range(self.rasa_servers)]

    @property
    def actions_ports(self) -> list[int]:
        """One action server per Rasa server: 5055, 5056, ... by default."""
        return [self.base.actions_port + i for i in range(self.rasa_servers)]

    @property
    def gateway_url(self) -> str:
        return f"http://{self.base.rasa_host}:{self.gateway_port}"

    def postgres_url(self) -> str:
        """The SQLAlchemy URL of the conversation store (and Veivalg's own tables)."""
        if not self.local_postgres:
            return self.base.tracker_store_url
        password = postgres_password(self.password_path)
        return f"postgresql://{ROLE}:{password}@127.0.0.1:{self.postgres_port}/{DATABASE}"

    def effective(self) -> Settings:
        """The settings every child process gets: PostgreSQL for both databases, the gateway as Rasa."""
        url = self.postgres_url()
        database_url = self.base.database_url
        if self.local_postgres or make_url(database_url).get_backend_name() == "sqlite":
            database_url = url
        return replace(
            self.base, tracker_store_url=url, database_url=database_url, rasa_port=self.gateway_port,
            log_dir=self.log_dir, model_dir=self.model_dir,
        )

    def used_ports(self) -> list[int]:
        """Every port this profile opens on this machine."""
        ports = [self.gateway_port, *self.rasa_ports, *self.actions_ports]
        if self.local_postgres:
            ports.append(self.postgres_port)
        if self.local_redis:
            ports.append(self.redis_port)
        return ports


def load_scaled_settings(settings: Settings, environ: dict[str, str] | None = None) -> ScaledSettings:
    """Read the scaled profile's settings (VEIVALG_* from the environment or `.env`)."""
    config = Config(os.environ if environ is None else environ, settings.home / ".env")
    scaled = ScaledSettings(
        base=settings,
        folder=Path(config.get("VEIVALG_SCALED_DIR", str, default=str(settings.var_dir / "scaled"))).resolve(),
        postgres_port=config.get("VEIVALG_POSTGRES_PORT", _port, default=5433),
        redis_host=config.get("VEIVALG_REDIS_HOST", str, default="127.0.0.1"),
        redis_port=config.get("VEIVALG_REDIS_PORT", _port, default=6380),
        gateway_port=config.get("VEIVALG_GATEWAY_PORT", _port, default=settings.rasa_port),
        rasa_servers=config.get("VEIVALG_RASA_SERVERS", _server_count, default=2),
    )
    if max(scaled.rasa_ports) > 65535 or max(scaled.actions_ports) > 65535:
        raise SettingsError("VEIVALG_GATEWAY_PORT/VEIVALG_ACTIONS_PORT leave no room for the Rasa servers")
    clash = {p for p in scaled.used_ports() if scaled.used_ports().count(p) > 1}
    if clash:
        raise SettingsError(f"the scaled profile would use port(s) {sorted(clash)} twice; change VEIVALG_*_PORT")
    return scaled


def postgres_password(path: Path) -> str:
    """The password of the `veivalg` role, generated once into a file only the owner can read."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(password)
    return password


def render(template: str, **values: object) -> str:
    """Fill in one of the templates in deploy/."""
    environment = Environment(
        loader=FileSystemLoader(DEPLOY_FOLDER), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, autoescape=False,
    )
    return environment.get_template(template).render(**values)


def find_program(name: str, extra: list[Path] | None = None) -> Path:
    """A program from the PATH, /usr/sbin or the given places; a clear error when it is missing."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found:
        return Path(found)
    for candidate in extra or []:
        if candidate.is_file():
            return candidate
    raise RuntimeError(f"Fant ikke {name}. {MISSING_PACKAGES}")


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server installed from Debian's packages (or on the PATH)."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if installed:
        return installed[-1].parent
    return find_program("postgres").parent


def service_user() -> str | None:
    """PostgreSQL will not run as root: as root, use the `postgres` user Debian's package made."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError as exc:
        raise RuntimeError(f"Fant ikke systembrukeren {SUPERUSER}. {MISSING_PACKAGES}") from exc
    return SUPERUSER


def nginx_worker_user() -> str | None:
    """As root, nginx's worker process runs as an unprivileged user."""
    if os.geteuid() != 0:
        return None
    for name in ("www-data", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def _own(path: Path, user: str | None) -> None:
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def copy_model(source: Path, target: Path) -> Path:
    """Copy a trained model (checked whole) unless the same file is already there; return the copy."""
    import tarfile

    info = source.stat()
    if target.is_file() and (target.stat().st_size, target.stat().st_mtime) == (info.st_size, info.st_mtime):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    shutil.copy2(source, partial)
    try:
        with tarfile.open(partial, "r:gz") as archive:
            for _member in archive:
                pass
    except (tarfile.TarError, OSError, EOFError) as exc:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"Modellen {source} er ikke hel (trenes den akkurat nå?). Prøv igjen etterpå.") from exc
    os.replace(partial, target)
    return target


def snapshot_model(scaled: ScaledSettings) -> Path:
    """Every Rasa server (and every restart) loads this one copy, even if `models/` is retrained meanwhile."""
    return copy_model(model_path(scaled.base), model_path(scaled.effective()))


def prepare_postgres(scaled: ScaledSettings) -> None:
    """Create the cluster in var/scaled/pg on first use and write Veivalg's settings into it."""
    import subprocess

    user = service_user()
    for folder, mode in ((scaled.pg_data, 0o700), (scaled.pg_socket_dir, 0o700)):
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(mode)
        _own(folder, user)
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
    _own(settings_file, user)
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
    password = postgres_password(scaled.password_path)
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
    from bot.databases import init_databases
    from bot.db import engine_for, session_factory
    from bot.migrations import upgrade

    # Veivalg's migrations first: both share one database here, and `upgrade` would take a database
    # that already has Rasa's `events` table for one built before migrations, and only stamp it.
    upgrade(settings.database_url)
    for line in init_databases(settings):
        echo(line)
    with session_factory(settings.database_url).begin() as session:
        count = replace_catalogue(read_catalogue(DATA_FOLDER), session=session)
    engine_for(settings.database_url).dispose()
    echo(f"yrkeskatalogen: {count} yrker lastet inn")


def redis_ready(host: str, port: int) -> bool:
    """True when Redis answers PING."""
    try:
        with socket.create_connection((host, port), timeout=2) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True when something already listens on host:port."""
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((host, port)) == 0


def build_services(scaled: ScaledSettings) -> list[Service]:
    """Every process of the profile, in start order; stopped in reverse."""
    settings = scaled.effective()
    python = sys.executable
    log = scaled.log_dir
    services: list[Service] = []
    if scaled.local_postgres:
        services.append(
            Service(
                name="postgresql",
                command=[
                    str(postgres_bin_dir() / "postgres"), "-D", str(scaled.pg_data),
                    "-p", str(scaled.postgres_port), "-k", str(scaled.pg_socket_dir), "-h", "127.0.0.1",
                ],
                health_url=f"postgresql://127.0.0.1:{scaled.postgres_port}/",
                log_path=log / "postgresql.log",
                probe=lambda: postgres_ready(scaled),
                run_as=service_user(),
                stop_signal=signal.SIGINT,  # "fast" shutdown: roll back open transactions, then a clean stop
            )
        )
    if scaled.local_redis:
        services.append(
            Service(
                name="redis",
                command=[str(find_program("redis-server")), str(scaled.folder / "redis.conf")],
                health_url=f"redis://{scaled.redis_host}:{scaled.redis_port}/",
                log_path=log / "redis.log",
                probe=lambda: redis_ready(scaled.redis_host, scaled.redis_port),
            )
        )
    shared_env = {
        "VEIVALG_TRACKER_STORE_URL": settings.tracker_store_url,
        "VEIVALG_DATABASE_URL": settings.database_url,
        "VEIVALG_RASA_PORT": str(scaled.gateway_port),
        "VEIVALG_REDIS_HOST": scaled.redis_host,
        "VEIVALG_REDIS_PORT": str(scaled.redis_port),
    }
    for number, port in enumerate(scaled.actions_ports, start=1):
        services.append(
            Service(
                name=f"handlingsserver-{number}",
                command=[python, "-m", "bot.action_server", "--actions", "actions", "--port", str(port)],
                health_url=f"http://{settings.actions_host}:{port}/health",
                log_path=log / f"actions-{number}.log",
                # Longer than the keep-alive of Rasa's HTTP client (15 s): otherwise Rasa now and then
                # reuses a connection the action server is closing ("Cannot write to closing transport").
                env=shared_env | {"SANIC_KEEP_ALIVE_TIMEOUT": "75"},
            )
        )
    for number, (port, actions_port) in enumerate(zip(scaled.rasa_ports, scaled.actions_ports, strict=True), start=1):
        services.append(
            Service(
                name=f"rasa-{number}",
                command=[
                    python, "-m", "rasa", "run", "--model", str(model_path(settings)),
                    "--endpoints", ENDPOINTS, "--credentials", "credentials.yml",
                    "--interface", settings.rasa_host, "--port", str(port),
                    "--enable-api", "--auth-token", settings.rasa_api_token,
                ],
                health_url=f"http://{settings.rasa_host}:{port}/",
                log_path=log / f"rasa-{number}.log",
                env=shared_env | {"VEIVALG_ACTION_ENDPOINT_URL": f"http://{settings.actions_host}:{actions_port}/webhook"},
            )
        )
    services.append(
        Service(
            name="nginx",
            command=[
                str(find_program("nginx", [Path("/usr/sbin/nginx")])), "-c", str(scaled.folder / "nginx.conf"),
                "-p", str(scaled.folder), "-e", "stderr",
            ],
            health_url=f"{scaled.gateway_url}/gateway/health",
            log_path=log / "nginx.log",
            stop_signal=signal.SIGQUIT,  # graceful: finish the requests in flight
        )
    )
    return services


def write_configuration(scaled: ScaledSettings) -> None:
    """Generate redis.conf and nginx.conf in var/scaled from the templates in deploy/."""
    for folder in (scaled.run_dir, scaled.log_dir, scaled.folder / "redis"):
        folder.mkdir(parents=True, exist_ok=True)
    (scaled.folder / "redis.conf").write_text(
        render(
            "redis.conf.j2", host=scaled.redis_host, port=scaled.redis_port, run_dir=scaled.run_dir,
            data_dir=scaled.folder / "redis",
        ),
        encoding="utf-8",
    )
    (scaled.folder / "nginx.conf").write_text(
        render(
            "nginx.conf.j2", host=scaled.base.rasa_host, port=scaled.gateway_port, rasa_ports=scaled.rasa_ports,
            run_dir=scaled.run_dir, worker_user=nginx_worker_user(), fail_timeout=10, read_timeout=120,
        ),
        encoding="utf-8",
    )


def start_together(settings: Settings, services: list[Service], stopping: threading.Event,
                   timeout: float = 300.0) -> None:
    """Start services at once (the Rasa servers load their models in parallel) and wait for all."""
    for service in services:
        service.start(settings.home, child_environment(settings) | service.env)
        echo(f"starter {service.name} ...")
    deadline = time.monotonic() + timeout
    waiting = list(services)
    while waiting:
        for service in list(waiting):
            if service.ready():
                echo(f"{service.name} er klar: {service.health_url.rstrip('/')}")
                waiting.remove(service)
            elif not service.running():
                raise RuntimeError(f"{service.name} stoppet under oppstart:\n" + "\n".join(service.tail))
        if stopping.is_set():
            raise RuntimeError("avbrutt under oppstart")
        if waiting and time.monotonic() > deadline:
            raise RuntimeError(f"{', '.join(s.name for s in waiting)} svarte ikke innen {timeout:.0f} sekunder")
        time.sleep(0.5)


def start_all(scaled: ScaledSettings, services: list[Service], stopping: threading.Event) -> None:
    """Databases first (and their tables), then Redis, the action servers, the Rasa servers, nginx."""
    settings = scaled.effective()
    by_name = {service.name: service for service in services}
    if "postgresql" in by_name:
        start_service(settings, by_name["postgresql"], timeout=60)
        ensure_role_and_database(scaled)
    prepare_databases(settings)
    if "redis" in by_name:
        start_service(settings, by_name["redis"], timeout=30)
    start_together(settings, [s for s in services if s.name.startswith("handlingsserver-")], stopping)
    start_together(settings, [s for s in services if s.name.startswith("rasa-")], stopping)
    start_service(settings, by_name["nginx"], timeout=30)


def check_ready_to_start(scaled: ScaledSettings) -> None:
    """Refuse to start with no model, missing programs or ports already taken (a stack still running)."""
    if not model_path(scaled.base).is_file():
        raise RuntimeError("Fant ingen modell. Kjør `make setup` (eller `veivalg train`) først.")
    busy = [port for port in scaled.used_ports() if port_in_use(port)]
    if busy:
        raise RuntimeError(
            f"port {', '.join(map(str, busy))} er allerede i bruk. Kjører Veivalg allerede? "
            "Stopp den, eller velg andre porter (VEIVALG_GATEWAY_PORT, VEIVALG_ACTIONS_PORT, "
            "VEIVALG_POSTGRES_PORT, VEIVALG_REDIS_PORT)."
        )
    if scaled.local_postgres:
        postgres_bin_dir()
    if scaled.local_redis:
        find_program("redis-server")
    find_program("nginx", [Path("/usr/sbin/nginx")])


def supervise_once(settings: Settings, services: list[Service]) -> bool:
    """Restart what died; a restart that fails is tried again next round (within the crash limit)."""
    try:
        return supervise(settings, services)
    except RuntimeError as exc:
        echo(str(exc))
        return True


def run(settings: Settings) -> int:
    """Run the scaled profile until Ctrl-C or until a service keeps crashing; return the exit code."""
    try:
        scaled = load_scaled_settings(settings)
        check_ready_to_start(scaled)
        snapshot_model(scaled)
        if scaled.local_postgres:
            prepare_postgres(scaled)
        write_configuration(scaled)
        services = build_services(scaled)
    except (RuntimeError, SettingsError) as exc:
        echo(str(exc))
        return 2
    effective = scaled.effective()
    stopping = stop_on_signals()
    try:
        start_all(scaled, services, stopping)
        echo(
            f"Veivalg (skalert, {scaled.rasa_servers} Rasa-servere) svarer på "
            f"{scaled.gateway_url}/webhooks/rest/webhook  (Ctrl-C stopper)"
        )
        echo(f"klienter sender samtale-id-en i {SENDER_HEADER} (eller ?sender=); logger: {scaled.log_dir}")
        return watch(effective, stopping, lambda: supervise_once(effective, services))
    except Exception as exc:  # a failed start must still stop what was started
        echo(str(exc))
        return 1
    finally:
        stop_all(services)
        echo("stoppet.")
