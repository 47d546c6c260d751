"""Veivalg's settings: one typed object, read from the environment and an optional `.env` file."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from bot.paths import PROJECT_ROOT

T = TypeVar("T")

# The header with which the web process (or a local client that knows the secret) speaks to the REST channel.
CHANNEL_SECRET_HEADER = "X-Veivalg-Channel-Secret"

_MISSING = object()


class SettingsError(RuntimeError):
    """A required setting is missing or has a value of the wrong type."""


class Config:
    """Reads `VEIVALG_*` values from the environment first, then from a `.env` file."""

    def __init__(self, environ: Mapping[str, str] | None = None, env_file: Path | None = None):
        self.environ = os.environ if environ is None else environ
        self.file_values: dict[str, str] = {}
        if env_file is not None and env_file.is_file():
            self.file_values = _read_env_file(env_file)

    def get(self, key: str, cast: Callable[[str], T], default: object = _MISSING, help: str = "") -> T:
        """Return `key` cast to its type, or `default`; raise SettingsError when neither exists."""
        if key in self.environ:
            raw = self.environ[key]
        elif key in self.file_values:
            raw = self.file_values[key]
        elif default is not _MISSING:
            return default  # type: ignore[return-value]
        else:
            raise SettingsError(f"Setting {key} is missing. {help}".strip())
        try:
            return cast(raw)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"Setting {key}={raw!r} is not valid: {exc}") from exc


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("\"'")
    return values


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a whole number above 0")
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("must be a whole number, 0 or above")
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 0 < value < 65536:
        raise ValueError("must be a port number between 1 and 65535")
    return value


def _origins(raw: str) -> tuple[str, ...]:
    origins = tuple(o.strip().rstrip("/") for o in raw.split(",") if o.strip())
    for origin in origins:
        if not origin.startswith(("http://", "https://")):
            raise ValueError(f"{origin!r} must start with http:// or https://")
    return origins


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be true or false")


def _chat_state(raw: str) -> str:
    if raw not in {"memory", "redis"}:
        raise ValueError("must be 'memory' (one web process) or 'redis' (several, sharing the chat's state)")
    return raw


IN_PROCESS_ACTIONS_URL = "in-process://actions"  # endpoints.yml's action URL when Rasa runs the actions itself


def _actions(raw: str) -> str:
    if raw not in {"server", "in-process"}:
        raise ValueError("must be 'server' (an action server of its own) or 'in-process' (inside the Rasa server)")
    return raw


def _environment(raw: str) -> str:
    if raw not in {"development", "production"}:
        raise ValueError("must be 'development' or 'production'")
    return raw


@dataclass(frozen=True)
class Settings:
    """Every value Veivalg reads from its environment."""

    home: Path
    environment: str
    rasa_host: str
    rasa_port: int
    actions_host: str
    actions_port: int
    tracker_store_url: str
    database_url: str
    secret_key: str
    retention_days: int
    max_message_chars: int
    model_dir: Path
    log_dir: Path
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    allowed_origins: tuple[str, ...] = ()
    idle_seconds: int = 600
    secure_cookies: bool = False
    tracker_cache_events: int = 50_000
    action_history_turns: int = 5
    redis_host: str = "127.0.0.1"
    redis_port: int = 6380
    redis_password: str = ""
    redis_tls: bool = False
    redis_ca_file: str = ""
    chat_state: str = "memory"
    chat_sessions_per_minute: int = 10
    actions: str = "in-process"

    def _derived(self, purpose: bytes) -> str:
        """A secret of its own for each purpose, derived from the one secret key (HMAC-SHA256)."""
        import hashlib
        import hmac

        return hmac.new(self.secret_key.encode(), purpose, hashlib.sha256).hexdigest()

    @property
    def rasa_api_token(self) -> str:
        """Token for Rasa's HTTP API (loopback only), used by the review app to pause and resume."""
        return self._derived(b"veivalg-rasa-api")

    @property
    def action_server_secret(self) -> str:
        """Shared secret Rasa sends to the action server in a header; the action server refuses without it."""
        return self._derived(b"veivalg-action-server")

    @property
    def channel_secret(self) -> str:
        """Shared secret the REST channel requires in CHANNEL_SECRET_HEADER; the web process sends it."""
        return self._derived(b"veivalg-rest-channel")

    @property
    def web_url(self) -> str:
        """Base URL of the web process: review app, chat widget and its demo page."""
        return f"http://{self.web_host}:{self.web_port}"

    @property
    def var_dir(self) -> Path:
        """Folder for databases, logs and the prepared spaCy pipeline."""
        return self.home / "var"

    @property
    def spacy_model_dir(self) -> Path:
        """Where the Norwegian spaCy pipeline is prepared; `config.yml` names this path."""
        return self.var_dir / "spacy" / "nb"

    @property
    def rasa_url(self) -> str:
        """Base URL of the Rasa server."""
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def action_endpoint_url(self) -> str:
        """URL the Rasa server calls to run custom actions (`in-process://actions`: inside the Rasa server)."""
        if self.actions == "in-process":
            return IN_PROCESS_ACTIONS_URL  # bot/rasa_adapter/actions_in_process.py
        return f"http://{self.actions_host}:{self.actions_port}/webhook"

    def rasa_environment(self) -> dict[str, str]:
        """Environment variables that `endpoints.yml` expands when Rasa starts."""
        return {
            "VEIVALG_ACTION_ENDPOINT_URL": self.action_endpoint_url,
            "VEIVALG_TRACKER_STORE_URL": self.tracker_store_url,
        }


def _secret_key(config: Config, environment: str, var_dir: Path) -> str:
    help_text = (
        "Set it to a long random string, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
    )
    if environment == "production":
        key = config.get("VEIVALG_SECRET_KEY", str, help=help_text)
    else:
        key = config.get("VEIVALG_SECRET_KEY", str, default="")
        if not key:
            key = _development_secret(var_dir)
    if len(key) < 32:
        raise SettingsError(f"Setting VEIVALG_SECRET_KEY is too short (at least 32 characters). {help_text}")
    return key


def _development_secret(var_dir: Path) -> str:
    """A per-machine secret for development, kept in var/ so that restarts keep sessions valid."""
    path = var_dir / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    var_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Private from the first byte: created 0600, never readable by others even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key)
    return key


def _existing_file(raw: str) -> str:
    if raw and not Path(raw).is_file():
        raise ValueError(f"no such file: {raw}")
    return raw


LOCAL_HOSTS = frozenset({"", "127.0.0.1", "localhost", "::1"})
TLS_SSLMODES = frozenset({"require", "verify-ca", "verify-full"})


def _check_database_tls(settings: Settings) -> None:
    """In production a PostgreSQL server on another machine is reached over TLS, with a password."""
    if settings.environment != "production":
        return
    from sqlalchemy.engine import make_url

    for name, raw in (("VEIVALG_TRACKER_STORE_URL", settings.tracker_store_url),
                      ("VEIVALG_DATABASE_URL", settings.database_url)):
        url = make_url(raw)
        if url.get_backend_name() != "postgresql" or (url.host or "") in LOCAL_HOSTS:
            continue
        if url.query.get("sslmode") not in TLS_SSLMODES:
            raise SettingsError(
                f"Setting {name} names PostgreSQL on {url.host} without TLS. Add ?sslmode=verify-full"
                "&sslrootcert=/path/to/ca.crt (or sslmode=require) to the URL."
            )
        if not url.password:
            raise SettingsError(f"Setting {name} names PostgreSQL on {url.host} without a password.")


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the settings; raise SettingsError with a clear message when one is wrong."""
    env = os.environ if environ is None else environ
    home = Path(env.get("VEIVALG_HOME", str(PROJECT_ROOT))).resolve()
    config = Config(env, home / ".env")
    environment = config.get("VEIVALG_ENV", _environment, default="development")
    var_dir = home / "var"
    settings = Settings(
        home=home,
        environment=environment,
        rasa_host=config.get("VEIVALG_RASA_HOST", str, default="127.0.0.1"),
        rasa_port=config.get("VEIVALG_RASA_PORT", _port, default=5005),
        actions_host=config.get("VEIVALG_ACTIONS_HOST", str, default="127.0.0.1"),
        actions_port=config.get("VEIVALG_ACTIONS_PORT", _port, default=5055),
        tracker_store_url=config.get(
            "VEIVALG_TRACKER_STORE_URL", str, default=f"sqlite:///{var_dir / 'tracker.db'}"
        ),
        database_url=config.get("VEIVALG_DATABASE_URL", str, default=f"sqlite:///{var_dir / 'veivalg.db'}"),
        secret_key=_secret_key(config, environment, var_dir),
        retention_days=config.get("VEIVALG_RETENTION_DAYS", _positive_int, default=90),
        max_message_chars=config.get("VEIVALG_MAX_MESSAGE_CHARS", _positive_int, default=5000),
        model_dir=Path(config.get("VEIVALG_MODEL_DIR", str, default=str(home / "models"))),
        log_dir=Path(config.get("VEIVALG_LOG_DIR", str, default=str(var_dir / "log"))),
        web_host=config.get("VEIVALG_WEB_HOST", str, default="127.0.0.1"),
        web_port=config.get("VEIVALG_WEB_PORT", _port, default=8000),
        allowed_origins=config.get("VEIVALG_ALLOWED_ORIGINS", _origins, default=()),
        idle_seconds=config.get("VEIVALG_IDLE_SECONDS", _positive_int, default=600),
        secure_cookies=config.get("VEIVALG_SECURE_COOKIES", _boolean, default=environment == "production"),
        tracker_cache_events=config.get("VEIVALG_TRACKER_CACHE_EVENTS", _non_negative_int, default=50_000),
        action_history_turns=config.get("VEIVALG_ACTION_HISTORY_TURNS", _non_negative_int, default=5),
        redis_host=config.get("VEIVALG_REDIS_HOST", str, default="127.0.0.1"),
        redis_port=config.get("VEIVALG_REDIS_PORT", _port, default=6380),
        redis_password=config.get("VEIVALG_REDIS_PASSWORD", str, default=""),
        redis_tls=config.get("VEIVALG_REDIS_TLS", _boolean, default=False),
        redis_ca_file=config.get("VEIVALG_REDIS_CA_FILE", _existing_file, default=""),
        chat_state=config.get("VEIVALG_CHAT_STATE", _chat_state, default="memory"),
        chat_sessions_per_minute=config.get("VEIVALG_CHAT_SESSIONS_PER_MINUTE", _positive_int, default=10),
        actions=config.get("VEIVALG_ACTIONS", _actions, default="in-process"),
    )
    _check_database_tls(settings)
    return settings


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return load_settings()
