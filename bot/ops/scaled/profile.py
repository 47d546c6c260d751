"""Where each part of the scaled profile listens and keeps its files, from the settings."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Config, Settings, SettingsError

DATABASE = "veivalg"
ROLE = "veivalg"
SUPERUSER = "postgres"
ENDPOINTS = "endpoints.scaled.yml"
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
    gateway_port: int
    rasa_servers: int
    web_servers: int = 2

    @property
    def redis_host(self) -> str:
        return self.base.redis_host

    @property
    def redis_port(self) -> int:
        return self.base.redis_port

    @property
    def redis_password(self) -> str:
        """VEIVALG_REDIS_PASSWORD, or for the profile's own Redis one generated into var/scaled (0600)."""
        if self.base.redis_password or not self.local_redis:
            return self.base.redis_password
        return generated_password(self.folder / "redis-password")

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
    def web_ports(self) -> list[int]:
        """The web processes listen just above the web address nginx serves: 8001, 8002, ... by default."""
        return [self.base.web_port + 1 + i for i in range(self.web_servers)]

    @property
    def gateway_url(self) -> str:
        return f"http://{self.base.rasa_host}:{self.gateway_port}"

    def postgres_url(self) -> str:
        """The SQLAlchemy URL of the conversation store (and Veivalg's own tables)."""
        if not self.local_postgres:
            return self.base.tracker_store_url
        password = generated_password(self.password_path)
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
        ports = [self.gateway_port, *self.rasa_ports, *self.actions_ports, self.base.web_port, *self.web_ports]
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
        gateway_port=config.get("VEIVALG_GATEWAY_PORT", _port, default=settings.rasa_port),
        rasa_servers=config.get("VEIVALG_RASA_SERVERS", _server_count, default=2),
        web_servers=config.get("VEIVALG_WEB_SERVERS", _server_count, default=2),
    )
    if max(scaled.rasa_ports) > 65535 or max(scaled.actions_ports) > 65535 or max(scaled.web_ports) > 65535:
        raise SettingsError("VEIVALG_GATEWAY_PORT/VEIVALG_ACTIONS_PORT leave no room for the Rasa servers")
    if not scaled.local_redis and not settings.redis_password:
        raise SettingsError(
            f"Redis on {scaled.redis_host} needs a password: set VEIVALG_REDIS_PASSWORD (and VEIVALG_REDIS_TLS=1 "
            "with VEIVALG_REDIS_CA_FILE when the connection leaves this machine)."
        )
    clash = {p for p in scaled.used_ports() if scaled.used_ports().count(p) > 1}
    if clash:
        raise SettingsError(f"the scaled profile would use port(s) {sorted(clash)} twice; change VEIVALG_*_PORT")
    return scaled


def generated_password(path: Path) -> str:
    """A generated password (the `veivalg` role's, Redis's), made once into a file only the owner can read."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(password)
    return password
