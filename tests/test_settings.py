from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_bind_to_loopback_and_use_sqlite(tmp_path: Path):
    settings = load_settings({"VEIVALG_HOME": str(tmp_path)})

    assert settings.rasa_host == "127.0.0.1"
    assert settings.actions_host == "127.0.0.1"
    assert (settings.rasa_port, settings.actions_port) == (5005, 5055)
    assert settings.tracker_store_url == f"sqlite:///{tmp_path / 'var' / 'tracker.db'}"
    assert settings.action_endpoint_url == "in-process://actions"  # the Rasa server runs the actions itself
    assert settings.retention_days == 90


def test_with_an_action_server_rasa_calls_it_on_loopback(tmp_path: Path):
    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_ACTIONS": "server"})

    assert settings.action_endpoint_url == "http://127.0.0.1:5055/webhook"


def test_development_secret_is_generated_once_and_kept(tmp_path: Path):
    first = load_settings({"VEIVALG_HOME": str(tmp_path)}).secret_key
    second = load_settings({"VEIVALG_HOME": str(tmp_path)}).secret_key

    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "var" / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_secret_fails_loudly(tmp_path: Path):
    with pytest.raises(SettingsError, match="VEIVALG_SECRET_KEY is missing"):
        load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_ENV": "production"})


def test_short_secret_is_refused(tmp_path: Path):
    with pytest.raises(SettingsError, match="too short"):
        load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "abc"})


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("VEIVALG_RASA_PORT", "seventy", "VEIVALG_RASA_PORT='seventy' is not valid"),
        ("VEIVALG_ACTIONS_PORT", "70000", "between 1 and 65535"),
        ("VEIVALG_RETENTION_DAYS", "0", "above 0"),
        ("VEIVALG_ENV", "staging", "'development' or 'production'"),
        ("VEIVALG_CHAT_STATE", "disk", "'memory' .* or 'redis'"),
        ("VEIVALG_CHAT_SESSIONS_PER_MINUTE", "0", "above 0"),
        ("VEIVALG_ACTIONS", "inline", "'server' .* or 'in-process'"),
    ],
)
def test_wrong_values_name_the_setting(tmp_path: Path, key: str, value: str, message: str):
    with pytest.raises(SettingsError, match=message):
        load_settings({"VEIVALG_HOME": str(tmp_path), key: value})


def test_env_file_is_read_and_environment_wins(tmp_path: Path):
    (tmp_path / ".env").write_text("VEIVALG_RETENTION_DAYS=30\nVEIVALG_RASA_PORT=6005\n")

    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_RASA_PORT": "7005"})

    assert settings.retention_days == 30
    assert settings.rasa_port == 7005


def test_rasa_environment_expands_endpoints(tmp_path: Path):
    settings = load_settings(
        {"VEIVALG_HOME": str(tmp_path), "VEIVALG_TRACKER_STORE_URL": "postgresql://v:p@db:5432/veivalg"}
    )

    assert settings.rasa_environment() == {
        "VEIVALG_ACTION_ENDPOINT_URL": "in-process://actions",
        "VEIVALG_TRACKER_STORE_URL": "postgresql://v:p@db:5432/veivalg",
    }


PRODUCTION = {"VEIVALG_ENV": "production", "VEIVALG_SECRET_KEY": "p" * 40}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://veivalg:pw@db.internal:5432/veivalg", "without TLS"),
        ("postgresql://veivalg:pw@db.internal:5432/veivalg?sslmode=prefer", "without TLS"),
        ("postgresql://veivalg@db.internal:5432/veivalg?sslmode=verify-full", "without a password"),
    ],
)
def test_production_refuses_a_remote_postgresql_without_tls_or_password(tmp_path: Path, url: str, message: str):
    with pytest.raises(SettingsError, match=message):
        load_settings({"VEIVALG_HOME": str(tmp_path), **PRODUCTION, "VEIVALG_DATABASE_URL": url})


def test_a_remote_postgresql_gets_its_tls_settings_from_the_url(tmp_path: Path):
    from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2
    from sqlalchemy.engine import make_url

    ca = tmp_path / "ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    url = f"postgresql://veivalg:pw@db.internal:5432/veivalg?sslmode=verify-full&sslrootcert={ca}"

    settings = load_settings({"VEIVALG_HOME": str(tmp_path), **PRODUCTION, "VEIVALG_TRACKER_STORE_URL": url})

    _, connect = PGDialect_psycopg2().create_connect_args(make_url(settings.tracker_store_url))
    assert connect["sslmode"] == "verify-full" and connect["sslrootcert"] == str(ca)
    assert connect["password"] == "pw" and connect["host"] == "db.internal"
    local = load_settings({"VEIVALG_HOME": str(tmp_path), **PRODUCTION,
                           "VEIVALG_DATABASE_URL": "postgresql://veivalg:pw@127.0.0.1:5433/veivalg"})
    assert local.database_url.endswith("127.0.0.1:5433/veivalg")  # a loopback server needs no TLS


def test_redis_connection_settings_are_typed(tmp_path: Path):
    ca = tmp_path / "redis-ca.crt"
    ca.write_text("x", encoding="utf-8")
    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_REDIS_HOST": "redis.internal",
                              "VEIVALG_REDIS_PASSWORD": "pw", "VEIVALG_REDIS_TLS": "1",
                              "VEIVALG_REDIS_CA_FILE": str(ca)})

    assert (settings.redis_host, settings.redis_port, settings.redis_password) == ("redis.internal", 6380, "pw")
    assert settings.redis_tls is True and settings.redis_ca_file == str(ca)
    with pytest.raises(SettingsError, match="VEIVALG_REDIS_CA_FILE"):
        load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_REDIS_CA_FILE": str(tmp_path / "missing.crt")})
