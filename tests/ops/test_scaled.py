"""The scaled profile's settings, generated configuration and process list (no services started here)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ops import scaled
from bot.ops.launcher import Service
from bot.paths import PROJECT_ROOT, read_yaml
from bot.settings import SettingsError, load_settings


def profile(tmp_path: Path, **env: str) -> scaled.ScaledSettings:
    values = {"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40, **env}
    settings = load_settings(values)
    return scaled.load_scaled_settings(settings, values)


def test_default_ports_put_nginx_where_rasa_was_and_the_servers_above_it(tmp_path: Path):
    p = profile(tmp_path)

    assert p.gateway_port == 5005
    assert p.rasa_ports == [5006, 5007]
    assert p.actions_ports == [5055, 5056]
    assert (p.postgres_port, p.redis_port) == (5433, 6380)
    assert p.web_ports == [8001, 8002]
    assert p.folder == tmp_path / "var" / "scaled"
    assert p.local_postgres and p.local_redis


def test_ports_and_server_count_come_from_the_environment(tmp_path: Path):
    p = profile(tmp_path, VEIVALG_GATEWAY_PORT="7000", VEIVALG_RASA_SERVERS="3", VEIVALG_ACTIONS_PORT="7100",
                VEIVALG_POSTGRES_PORT="7200", VEIVALG_REDIS_PORT="7300", VEIVALG_SCALED_DIR=str(tmp_path / "s"),
                VEIVALG_WEB_PORT="7400", VEIVALG_WEB_SERVERS="3")

    assert p.rasa_ports == [7001, 7002, 7003]
    assert p.actions_ports == [7100, 7101, 7102]
    assert p.web_ports == [7401, 7402, 7403]
    assert sorted(p.used_ports()) == [
        7000, 7001, 7002, 7003, 7100, 7101, 7102, 7200, 7300, 7400, 7401, 7402, 7403]
    assert p.folder == tmp_path / "s"


@pytest.mark.parametrize(
    "env",
    [
        {"VEIVALG_RASA_SERVERS": "0"},
        {"VEIVALG_RASA_SERVERS": "many"},
        {"VEIVALG_WEB_SERVERS": "0"},
        {"VEIVALG_WEB_PORT": "5005"},  # nginx's web address would clash with its gateway
        {"VEIVALG_REDIS_PORT": "70000"},
        {"VEIVALG_GATEWAY_PORT": "5054"},  # its Rasa servers 5055, 5056 would clash with the action servers
    ],
)
def test_wrong_values_are_refused_with_the_setting_named(tmp_path: Path, env: dict[str, str]):
    with pytest.raises(SettingsError):
        profile(tmp_path, **env)


def test_the_local_database_url_uses_a_generated_password_kept_private(tmp_path: Path):
    p = profile(tmp_path)

    url = p.postgres_url()
    password = p.password_path.read_text(encoding="utf-8")

    assert url == f"postgresql://veivalg:{password}@127.0.0.1:5433/veivalg"
    assert len(password) >= 24
    assert stat.S_IMODE(p.password_path.stat().st_mode) == 0o600
    assert p.postgres_url() == url  # the same password on the next start


def test_both_databases_and_the_rasa_port_point_at_the_scaled_services(tmp_path: Path):
    p = profile(tmp_path)

    effective = p.effective()

    assert effective.tracker_store_url == effective.database_url == p.postgres_url()
    assert effective.rasa_url == "http://127.0.0.1:5005"
    assert effective.log_dir == p.folder / "log"


@pytest.fixture
def programs(monkeypatch):
    """Building the services needs only where the programs are, not the programs (tested in CI without them)."""
    from bot.ops.scaled import services

    monkeypatch.setattr(services, "find_program", lambda name, extra=None: Path("/usr/sbin") / name)
    monkeypatch.setattr(services, "postgres_bin_dir", lambda: Path("/usr/lib/postgresql/15/bin"))


def test_an_external_postgresql_is_used_as_it_is_and_not_started(tmp_path: Path, programs):
    external = "postgresql://veivalg:secret@db.internal:5432/veivalg"
    p = profile(tmp_path, VEIVALG_TRACKER_STORE_URL=external, VEIVALG_REDIS_HOST="redis.internal",
                VEIVALG_REDIS_PASSWORD="redis-pw")

    assert not p.local_postgres and not p.local_redis
    assert p.effective().tracker_store_url == p.effective().database_url == external
    assert not p.password_path.exists()
    names = [s.name for s in scaled.build_services(p)]
    assert "postgresql" not in names and "redis" not in names


def test_services_start_in_order_and_each_rasa_server_has_its_own_action_server(tmp_path: Path, programs):
    p = profile(tmp_path)
    services = scaled.build_services(p)
    names = [s.name for s in services]

    assert names == ["postgresql", "redis", "handlingsserver-1", "handlingsserver-2", "rasa-1", "rasa-2",
                     "nettside-1", "nettside-2", "nginx"]
    rasa = [s for s in services if s.name.startswith("rasa-")]
    for service, port, actions_port in zip(rasa, p.rasa_ports, p.actions_ports, strict=True):
        command = service.command
        assert command[command.index("--endpoints") + 1] == "endpoints.scaled.yml"
        assert command[command.index("--interface") + 1] == "127.0.0.1"
        assert command[command.index("--port") + 1] == str(port)
        assert service.env["VEIVALG_ACTION_ENDPOINT_URL"] == f"http://127.0.0.1:{actions_port}/webhook"
        assert service.env["VEIVALG_TRACKER_STORE_URL"] == p.postgres_url()
        assert service.env["VEIVALG_REDIS_PORT"] == "6380"
        assert service.env["VEIVALG_ACTION_SECRET"] == p.base.action_server_secret
        assert "--auth-token" not in command
    web = [s for s in services if s.name.startswith("nettside-")]
    for service, port in zip(web, p.web_ports, strict=True):
        assert service.command[service.command.index("--port") + 1] == str(port)
        assert service.env["VEIVALG_CHAT_STATE"] == "redis"
        assert service.env["VEIVALG_REDIS_PASSWORD"] == p.redis_password
        assert service.env["VEIVALG_RASA_PORT"] == str(p.gateway_port)  # through nginx, by conversation
        assert service.env["VEIVALG_DATABASE_URL"] == p.postgres_url()
    postgres = services[0]
    assert postgres.command[postgres.command.index("-h") + 1] == "127.0.0.1"
    assert postgres.stop_signal == signal.SIGINT
    assert postgres.run_as == ("postgres" if os.geteuid() == 0 else None)
    for service in services:
        assert service.log_path.parent == p.folder / "log"


def test_the_nginx_configuration_hashes_the_conversation_id_over_every_rasa_server(tmp_path: Path):
    p = profile(tmp_path, VEIVALG_RASA_SERVERS="3")
    scaled.write_configuration(p)

    config = (p.folder / "nginx.conf").read_text(encoding="utf-8")

    assert "hash $veivalg_sender consistent;" in config
    assert "map $http_x_veivalg_sender $veivalg_sender" in config
    for port in p.rasa_ports:
        assert f"server 127.0.0.1:{port} max_fails=1" in config
    assert "listen 127.0.0.1:5005;" in config
    assert "non_idempotent" not in config  # a message that reached a server is never sent to a second one
    assert "listen 127.0.0.1:8000;" in config
    for port in p.web_ports:
        assert f"server 127.0.0.1:{port} max_fails=1" in config
    assert "proxy_buffering off;" in config  # event streams pass at once


@pytest.mark.skipif(shutil.which("nginx", path="/usr/sbin:/usr/bin") is None, reason="nginx: make scaled-deps")
def test_nginx_accepts_the_generated_configuration(tmp_path: Path):
    p = profile(tmp_path)
    scaled.write_configuration(p)
    nginx = scaled.find_program("nginx", [Path("/usr/sbin/nginx")])

    result = subprocess.run(
        [str(nginx), "-t", "-c", str(p.folder / "nginx.conf"), "-p", str(p.folder), "-e", "stderr"],
        capture_output=True, text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_redis_listens_on_loopback_only_and_keeps_nothing_on_disk(tmp_path: Path):
    p = profile(tmp_path)
    scaled.write_configuration(p)

    config = (p.folder / "redis.conf").read_text(encoding="utf-8").splitlines()

    assert "bind 127.0.0.1" in config and "port 6380" in config
    assert 'save ""' in config and "appendonly no" in config
    password = (p.folder / "redis-password").read_text(encoding="utf-8")
    assert len(password) >= 24 and f"requirepass {password}" in config
    assert p.redis_password == password
    for private in ("redis.conf", "redis-password"):
        assert (p.folder / private).stat().st_mode & 0o777 == 0o600


def test_a_redis_on_another_machine_is_refused_without_a_password(tmp_path: Path):
    with pytest.raises(SettingsError, match="VEIVALG_REDIS_PASSWORD"):
        profile(tmp_path, VEIVALG_REDIS_HOST="redis.internal")

    given = profile(tmp_path, VEIVALG_REDIS_HOST="redis.internal", VEIVALG_REDIS_PASSWORD="given")
    assert given.redis_password == "given" and not (given.folder / "redis-password").exists()


def test_the_rasa_servers_get_the_redis_password_and_the_action_servers_do_not(tmp_path: Path, programs):
    p = profile(tmp_path)
    services = {s.name: s for s in scaled.build_services(p)}

    assert services["rasa-1"].env["VEIVALG_REDIS_PASSWORD"] == p.redis_password
    assert "VEIVALG_REDIS_PASSWORD" not in services["handlingsserver-1"].env


def test_the_postgresql_settings_keep_every_answered_message_on_disk():
    config = scaled.render("postgresql.conf.j2", host="127.0.0.1")

    assert "listen_addresses = '127.0.0.1'" in config
    assert "fsync = on" in config and "synchronous_commit = on" in config


@pytest.fixture
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    from bot.settings import get_settings

    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_scaled_endpoints_use_a_redis_lock_store_and_the_embedded_ones_do_not(fresh_settings: pytest.MonkeyPatch):
    from rasa.core.lock_store import LockStore, RedisLockStore
    from rasa.utils.endpoints import read_endpoint_config

    fresh_settings.setenv("VEIVALG_REDIS_HOST", "127.0.0.1")
    fresh_settings.setenv("VEIVALG_REDIS_PORT", "6390")
    fresh_settings.setenv("VEIVALG_REDIS_PASSWORD", "lock-pw")
    fresh_settings.setenv("VEIVALG_ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    fresh_settings.setenv("VEIVALG_TRACKER_STORE_URL", "sqlite://")
    fresh_settings.setenv("VEIVALG_ACTION_SECRET", "s" * 64)

    lock_store = LockStore.create(read_endpoint_config(str(PROJECT_ROOT / "endpoints.scaled.yml"), "lock_store"))

    assert isinstance(lock_store, RedisLockStore)
    assert lock_store.red.connection_pool.connection_kwargs["port"] == 6390
    assert lock_store.red.connection_pool.connection_kwargs["password"] == "lock-pw"
    assert lock_store.key_prefix.startswith("veivalg")
    embedded = read_yaml(PROJECT_ROOT / "endpoints.yml")
    scaled_endpoints = read_yaml(PROJECT_ROOT / "endpoints.scaled.yml")
    assert "lock_store" not in embedded
    assert scaled_endpoints["tracker_store"]["type"] == embedded["tracker_store"]["type"]
    action = read_endpoint_config(str(PROJECT_ROOT / "endpoints.scaled.yml"), "action_endpoint")
    assert action.headers == {"X-Veivalg-Action-Secret": "s" * 64}


def test_the_lock_store_speaks_tls_when_the_settings_say_so(fresh_settings: pytest.MonkeyPatch, tmp_path: Path):
    from bot.rasa_adapter.lock_store import VeivalgRedisLockStore

    ca = tmp_path / "ca.crt"
    ca.write_text("x", encoding="utf-8")
    for key, value in {"VEIVALG_REDIS_HOST": "redis.internal", "VEIVALG_REDIS_PASSWORD": "pw",
                       "VEIVALG_REDIS_TLS": "yes", "VEIVALG_REDIS_CA_FILE": str(ca)}.items():
        fresh_settings.setenv(key, value)

    pool = VeivalgRedisLockStore().red.connection_pool

    assert pool.connection_class.__name__ == "SSLConnection"
    assert pool.connection_kwargs["ssl_ca_certs"] == str(ca)
    assert (pool.connection_kwargs["host"], pool.connection_kwargs["password"]) == ("redis.internal", "pw")


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server: make system-deps")
def test_the_generated_redis_refuses_clients_without_the_password(tmp_path: Path, fresh_settings: pytest.MonkeyPatch):
    import asyncio

    from bot.rasa_adapter.lock_store import VeivalgRedisLockStore

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    p = profile(tmp_path, VEIVALG_REDIS_PORT=str(port))
    scaled.write_configuration(p)
    server = subprocess.Popen([str(scaled.find_program("redis-server")), str(p.folder / "redis.conf")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            if scaled.redis_ready("127.0.0.1", port, p.redis_password):
                break
            time.sleep(0.1)
        assert scaled.redis_ready("127.0.0.1", port, p.redis_password)
        assert not scaled.redis_ready("127.0.0.1", port)  # NOAUTH
        assert not scaled.redis_ready("127.0.0.1", port, "wrong")

        fresh_settings.setenv("VEIVALG_REDIS_PORT", str(port))
        fresh_settings.setenv("VEIVALG_REDIS_PASSWORD", p.redis_password)
        store = VeivalgRedisLockStore()

        async def take_and_release() -> None:
            async with store.lock("conversation-1"):
                assert store.get_lock("conversation-1") is not None

        asyncio.run(take_and_release())
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_busy_port_stops_the_start_with_its_number(tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (tmp_path / "models").mkdir()
        (tmp_path / "models" / "veivalg.tar.gz").write_bytes(b"model")
        p = profile(tmp_path, VEIVALG_REDIS_PORT=str(port))

        assert scaled.port_in_use(port)
        with pytest.raises(RuntimeError, match=f"port {port} er allerede i bruk"):
            scaled.check_ready_to_start(p)


def test_without_a_model_the_start_is_refused_kindly(tmp_path: Path):
    with pytest.raises(RuntimeError, match="Fant ingen modell"):
        scaled.check_ready_to_start(profile(tmp_path))


def test_redis_ready_needs_a_pong():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def answer_once(reply: bytes) -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(64)
            connection.sendall(reply)

    try:
        for reply, expected in ((b"+PONG\r\n", True), (b"-LOADING\r\n", False)):
            thread = threading.Thread(target=answer_once, args=(reply,))
            thread.start()
            assert scaled.redis_ready("127.0.0.1", port) is expected
            thread.join()
    finally:
        server.close()
    assert scaled.redis_ready("127.0.0.1", port) is False  # nothing listens any more


def test_redis_ready_with_a_password_waits_for_both_answers_even_when_they_come_apart():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]

    def answer_in_two_parts() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(128)
            connection.sendall(b"+OK\r\n")
            time.sleep(0.2)
            connection.sendall(b"+PONG\r\n")

    try:
        thread = threading.Thread(target=answer_in_two_parts)
        thread.start()
        assert scaled.redis_ready("127.0.0.1", port, "pw") is True
        thread.join()
    finally:
        server.close()


def test_a_service_with_a_probe_is_ready_when_the_probe_says_so_and_stops_with_its_signal(tmp_path: Path):
    import sys

    # Like PostgreSQL, the sleeper sets its own SIGINT handling, then says it is ready: a test run started
    # in the background (`make test &`) hands its children SIGINT ignored, and a plain `sleep` never stops.
    ready_file = tmp_path / "ready"
    code = (f"import pathlib, signal, time; signal.signal(signal.SIGINT, signal.SIG_DFL); "
            f"pathlib.Path({str(ready_file)!r}).touch(); time.sleep(30)")
    asked: list[bool] = []

    def probe() -> bool:
        asked.append(ready_file.exists())
        return asked[-1]

    service = Service(
        "sleeper", [sys.executable, "-c", code], "x://sleeper/", tmp_path / "sleeper.log",
        probe=probe, stop_signal=signal.SIGINT,
    )
    service.start(tmp_path, dict(os.environ))

    deadline = time.monotonic() + 30
    while not service.ready():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert asked[-1] is True
    service.stop(timeout=10)

    assert service.process is not None and service.process.returncode == -signal.SIGINT
    assert not service.pid_path.exists()


def test_the_model_is_copied_whole_and_a_half_written_one_is_refused(tmp_path: Path):
    import tarfile

    source = tmp_path / "models" / "veivalg.tar.gz"
    source.parent.mkdir()
    (tmp_path / "fingerprint.json").write_text("{}" * 5000, encoding="utf-8")
    with tarfile.open(source, "w:gz") as archive:
        archive.add(tmp_path / "fingerprint.json", arcname="fingerprint.json")

    copy = scaled.copy_model(source, tmp_path / "scaled" / "model" / "veivalg.tar.gz")

    assert copy.read_bytes() == source.read_bytes()
    source.write_bytes(source.read_bytes()[:40])  # training is writing it right now
    with pytest.raises(RuntimeError, match="ikke hel"):
        scaled.copy_model(source, tmp_path / "other" / "veivalg.tar.gz")
    assert not (tmp_path / "other" / "veivalg.tar.gz").exists()
