"""Every process of the scaled profile, in start order, and the checks that they are up."""

from __future__ import annotations

import os
import shutil
import signal
import socket
from pathlib import Path

from bot.ops.launcher import Service, web_command
from bot.ops.scaled.postgres import postgres_ready
from bot.ops.scaled.profile import ENDPOINTS, ScaledSettings
from bot.ops.scaled.programs import find_program, postgres_bin_dir, service_user
from bot.ops.training import model_path
from bot.rasa_adapter.commands import action_server_command, server_command


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


def redis_ready(host: str, port: int, password: str = "") -> bool:
    """True when Redis answers PING (after AUTH when it has a password)."""
    command = b"PING\r\n"
    if password:
        secret = password.encode()
        command = b"*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n" % (len(secret), secret) + command
    try:
        with socket.create_connection((host, port), timeout=2) as connection:
            connection.sendall(command)
            reply = b""
            while reply.count(b"\r\n") < (2 if password else 1):  # +OK for AUTH, then +PONG
                chunk = connection.recv(64)
                if not chunk:
                    break
                reply += chunk
            return reply.endswith(b"+PONG\r\n") and (not password or reply.startswith(b"+OK\r\n"))
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
                probe=lambda: redis_ready(scaled.redis_host, scaled.redis_port, scaled.redis_password),
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
                command=action_server_command(port),
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
                command=server_command(model_path(settings), ENDPOINTS, settings.rasa_host, port),
                health_url=f"http://{settings.rasa_host}:{port}/",
                log_path=log / f"rasa-{number}.log",
                env=shared_env | {
                    "VEIVALG_ACTION_ENDPOINT_URL": f"http://{settings.actions_host}:{actions_port}/webhook",
                    "VEIVALG_ACTION_SECRET": settings.action_server_secret,
                    "VEIVALG_REDIS_PASSWORD": scaled.redis_password,
                },
            )
        )
    for number, port in enumerate(scaled.web_ports, start=1):
        services.append(
            Service(
                name=f"nettside-{number}",
                command=web_command("127.0.0.1", port),
                health_url=f"http://127.0.0.1:{port}/healthz",
                log_path=log / f"web-{number}.log",
                # The hub, rate limits, tickets and locks in Redis, so any process serves any conversation.
                env=shared_env | {"VEIVALG_CHAT_STATE": "redis", "VEIVALG_REDIS_PASSWORD": scaled.redis_password},
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
