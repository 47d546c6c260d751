"""The scaled profile: PostgreSQL, Redis, several Rasa servers with their action servers, nginx in front.

`veivalg run-scaled` runs every part as a child process on 127.0.0.1, with data, generated
configuration, logs and pid files under `var/scaled/`, and supervises them like `veivalg run`.
Each Rasa server has its own action server (a pair): a crashed action server only hurts the
conversations of its pair, and the pairs use both cores."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.ops.launcher import Service, echo, start_service, start_together, stop_all, stop_on_signals, supervise, watch
from bot.ops.scaled.configuration import write_configuration
from bot.ops.scaled.postgres import ensure_role_and_database, prepare_databases, prepare_postgres
from bot.ops.scaled.profile import SENDER_HEADER, ScaledSettings, load_scaled_settings
from bot.ops.scaled.programs import find_program, postgres_bin_dir
from bot.ops.scaled.services import build_services, port_in_use, snapshot_model
from bot.ops.training import model_path
from bot.settings import Settings, SettingsError


def start_all(scaled: ScaledSettings, services: list[Service], stopping: threading.Event) -> None:
    """Databases first (and their tables), then Redis, the action servers, the Rasa and web servers, nginx."""
    settings = scaled.effective()
    by_name = {service.name: service for service in services}
    if "postgresql" in by_name:
        start_service(settings, by_name["postgresql"], timeout=60)
        ensure_role_and_database(scaled)
    prepare_databases(settings)
    if "redis" in by_name:
        start_service(settings, by_name["redis"], timeout=30)
    start_together(settings, [s for s in services if s.name.startswith("handlingsserver-")], stopping)
    start_together(settings, [s for s in services if s.name.startswith(("rasa-", "nettside-"))], stopping)
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
            "VEIVALG_POSTGRES_PORT, VEIVALG_REDIS_PORT, VEIVALG_WEB_PORT)."
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
        echo(f"nettside ({scaled.web_servers} prosesser): {effective.web_url}/chat/  og for veiledere: "
             f"{effective.web_url}/review/")
        return watch(effective, stopping, lambda: supervise_once(effective, services))
    except Exception as exc:  # a failed start must still stop what was started
        echo(str(exc))
        return 1
    finally:
        stop_all(services)
        echo("stoppet.")
