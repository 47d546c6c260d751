"""Start the action server and the Rasa server, report when they are ready, stop them cleanly."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import yaml

from bot.ops.private_files import write_private
from bot.ops.runtime_env import child_environment
from bot.ops.training import model_path
from bot.paths import PROJECT_ROOT, read_yaml
from bot.rasa_adapter.commands import ACTION_SECRET_HEADER, action_server_command, server_command
from bot.settings import Settings

# Lines from the children worth showing on the console; everything goes to the log files.
_SHOWN_LEVELS = (" ERROR ", " CRITICAL ", "Traceback", "Error:")
_NOISE = ("tensorflow", "absl", "oneDNN", "cuda", "NumExpr")


def echo(message: str) -> None:
    """One line per event that matters."""
    print(f"[veivalg] {message}", flush=True)


@dataclass
class Service:
    """One child process, its log file and the URL that says it is ready."""

    name: str
    command: list[str]
    health_url: str
    log_path: Path
    process: subprocess.Popen[str] | None = None
    tail: deque[str] = field(default_factory=lambda: deque(maxlen=30))
    restarts: list[float] = field(default_factory=list)
    # For services that are not HTTP (PostgreSQL, Redis): readiness check instead of the health URL.
    probe: Callable[[], bool] | None = None
    env: dict[str, str] = field(default_factory=dict)  # added to the environment of this process only
    run_as: str | None = None  # system user to run as (PostgreSQL refuses to run as root)
    stop_signal: int = signal.SIGTERM

    @property
    def pid_path(self) -> Path:
        """File holding the running process id, for operators and tests."""
        return self.log_path.with_suffix(".pid")

    def start(self, cwd: Path, env: dict[str, str]) -> None:
        """Start the process and a thread that copies its output to the log file."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            self.command, cwd=cwd, env=env, text=True, errors="replace",
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
            user=self.run_as, group=self.run_as, extra_groups=[] if self.run_as else None,
        )
        self.pid_path.write_text(str(self.process.pid), encoding="utf-8")
        threading.Thread(target=self._pump, daemon=True).start()

    def may_restart(self, now: float, limit: int = 5, window: float = 300.0) -> bool:
        """Allow a restart unless the process has crashed `limit` times within `window` seconds."""
        self.restarts = [t for t in self.restarts if now - t < window]
        if len(self.restarts) >= limit:
            return False
        self.restarts.append(now)
        return True

    def _pump(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        with self.log_path.open("a", encoding="utf-8") as log:
            for line in self.process.stdout:
                log.write(line)
                log.flush()
                self.tail.append(line.rstrip())
                if any(mark in line for mark in _SHOWN_LEVELS) and not any(
                    noise in line for noise in _NOISE
                ):
                    echo(f"{self.name}: {line.strip()}")

    def running(self) -> bool:
        """True while the process lives."""
        return self.process is not None and self.process.poll() is None

    def ready(self) -> bool:
        """True when the health URL (or the probe) answers."""
        if self.probe is not None:
            return self.probe()
        try:
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the process to stop, then kill it if it does not."""
        if self.running():
            assert self.process is not None
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.pid_path.unlink(missing_ok=True)


def endpoints_file(settings: Settings) -> Path:
    """endpoints.yml with the action server's address and secret, written to var/run/ (0600) for `rasa run`."""
    source = settings.home / "endpoints.yml"
    if not source.is_file():
        source = PROJECT_ROOT / "endpoints.yml"
    endpoints = read_yaml(source)
    endpoints["action_endpoint"]["url"] = settings.action_endpoint_url
    endpoints["action_endpoint"]["headers"] = {ACTION_SECRET_HEADER: settings.action_server_secret}
    target = settings.var_dir / "run" / "endpoints.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return target


def channel_secret_file(settings: Settings) -> Path:
    """The REST channel's secret in var/run/channel-secret (0600), for local clients such as `curl` and benchmarks."""
    target = settings.var_dir / "run" / "channel-secret"
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(target, settings.channel_secret)
    return target


def build_services(settings: Settings) -> list[Service]:
    """The action server (unless the actions run in process), Rasa and the web process, on loopback addresses."""
    channel_secret_file(settings)
    actions = Service(
        name="handlingsserver",
        command=action_server_command(settings.actions_port),
        health_url=f"http://{settings.actions_host}:{settings.actions_port}/health",
        log_path=settings.log_dir / "actions.log",
    )
    rasa = Service(
        name="rasa",
        command=server_command(
            model_path(settings), str(endpoints_file(settings)), settings.rasa_host, settings.rasa_port
        ),
        health_url=f"{settings.rasa_url}/",
        log_path=settings.log_dir / "rasa.log",
    )
    web = Service(
        name="nettside",
        command=web_command(settings.web_host, settings.web_port),
        health_url=f"{settings.web_url}/healthz",
        log_path=settings.log_dir / "web.log",
    )
    if settings.actions == "in-process":  # the Rasa server runs them itself
        return [rasa, web]
    return [actions, rasa, web]


def web_command(host: str, port: int) -> list[str]:
    """The web process (review app, chat widget and its gateway) under uvicorn, listening on host:port."""
    return [
        sys.executable, "-m", "bot.web.serve", "bot.web.app:create_app", "--factory",
        "--host", host, "--port", str(port), "--log-level", "warning",
        "--ws", "none",  # Rasa pins websockets 10, which uvicorn's websocket support cannot use; SSE needs none
    ]


def port_in_use(url: str) -> bool:
    """True when something already listens where a service is meant to listen."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.hostname or not parts.port:
        return False
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((parts.hostname, parts.port)) == 0


def refuse_busy_port(service: Service) -> None:
    """Raise, in plain words, when another program already listens where the service would."""
    if service.probe is None and port_in_use(service.health_url):
        # Otherwise the other program's answer would pass for this one's, and this one would die unseen.
        address = service.health_url.rsplit("/", 1)[0]
        raise RuntimeError(
            f"{address} er allerede i bruk, så {service.name} kan ikke starte. Kjører Veivalg allerede? "
            "Stopp det først, eller velg andre porter (docs/operations.md, «Settings»)."
        )


def start_service(settings: Settings, service: Service, timeout: float = 300.0) -> None:
    """Start one service and wait until it answers; raise if it dies or hangs."""
    refuse_busy_port(service)
    service.start(settings.home, child_environment(settings) | service.env)
    echo(f"starter {service.name} ...")
    deadline = time.monotonic() + timeout
    while not service.ready():
        if not service.running():
            raise RuntimeError(f"{service.name} stoppet under oppstart:\n" + "\n".join(service.tail))
        if time.monotonic() > deadline:
            raise RuntimeError(f"{service.name} svarte ikke innen {timeout:.0f} sekunder")
        time.sleep(0.5)
    echo(f"{service.name} er klar: {service.health_url.rsplit('/', 1)[0]}")


# While services start, say every few seconds which of them are still loading.
WAITING_SAID_EVERY = 8.0


def start_together(settings: Settings, services: list[Service], stopping: threading.Event,
                   timeout: float = 300.0) -> None:
    """Start services at once (the Rasa servers load their models in parallel) and wait for all."""
    for service in services:
        service.start(settings.home, child_environment(settings) | service.env)
        echo(f"starter {service.name} ...")
    began = time.monotonic()
    deadline = began + timeout
    said = began
    waiting = list(services)
    while waiting:
        if time.monotonic() - said >= WAITING_SAID_EVERY:
            said = time.monotonic()
            loading = "; Rasa laster modellen" if any(s.name.startswith("rasa") for s in waiting) else ""
            echo(f"venter på {', '.join(s.name for s in waiting)} ({said - began:.0f} s{loading})")
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


def start_all(settings: Settings, services: list[Service], stopping: threading.Event | None = None) -> None:
    """Start every service at once and wait for all: none needs another to be up before it starts.

    The action server, Rasa (loading its model) and the web process start in parallel; a busy port is
    said plainly before anything starts.
    """
    for service in services:
        refuse_busy_port(service)
    start_together(settings, services, stopping or threading.Event())


def supervise(settings: Settings, services: list[Service]) -> bool:
    """Restart a service that died; False when one keeps crashing and Veivalg must stop."""
    for service in services:
        if service.running():
            continue
        echo(f"{service.name} stoppet uventet; siste linjer i {service.log_path}:")
        for line in list(service.tail)[-5:]:
            echo(f"  {line}")
        if not service.may_restart(time.monotonic()):
            echo(f"{service.name} har krasjet for ofte; stopper Veivalg")
            return False
        start_service(settings, service)
    return True


def stop_all(services: list[Service]) -> None:
    """Stop services in reverse order."""
    for service in reversed(services):
        if service.running():
            echo(f"stopper {service.name} ...")
        service.stop()


@dataclass
class RetentionSchedule:
    """Deletes conversations older than the retention period: at start, then every `every` seconds."""

    every: float = 3600.0
    next_run: float = 0.0

    def run_if_due(self, settings: Settings, now: float | None = None) -> bool:
        """Purge when due; a failure is reported and retried at the next interval."""
        now = time.monotonic() if now is None else now
        if now < self.next_run:
            return False
        self.next_run = now + self.every
        from bot.privacy.retention import purge

        try:
            result = purge(settings=settings)
        except Exception as exc:  # a locked or unreachable database must not stop the service
            echo(f"sletting av gamle samtaler feilet, prøver igjen om en time: {exc}")
            return False
        if result.conversations or result.rows:
            echo(f"slettet {result.conversations} samtaler eldre enn {settings.retention_days} dager")
        return True


def stop_on_signals() -> threading.Event:
    """An event set by Ctrl-C (SIGINT) or SIGTERM, so the supervisor stops its services cleanly."""
    stopping = threading.Event()

    def handle_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, handle_signal)
    signal.signal(signal.SIGTERM, handle_signal)
    return stopping


def watch(settings: Settings, stopping: threading.Event, keep_running: Callable[[], bool]) -> int:
    """Until stopped: restart what died (`keep_running`) and purge old conversations; the exit code."""
    retention = RetentionSchedule()
    while not stopping.is_set():
        if not keep_running():
            return 1
        retention.run_if_due(settings)
        stopping.wait(1.0)
    return 0


def run(settings: Settings, on_ready: Callable[[], None] | None = None) -> int:
    """Run until Ctrl-C or until a service dies; return the exit code."""
    if not model_path(settings).is_file():
        echo("Fant ingen modell. Kjør `make setup` (eller `veivalg train`) først.")
        return 2
    services = build_services(settings)
    stopping = stop_on_signals()
    try:
        start_all(settings, services, stopping)
        echo(f"Veivalg svarer på {settings.rasa_url}/webhooks/rest/webhook  (Ctrl-C stopper)")
        echo(f"chat i nettleseren: {settings.web_url}/chat")
        echo(f"for veiledere: {settings.web_url}/review/")
        echo(f"logger: {settings.log_dir}")
        if on_ready:
            on_ready()
        return watch(settings, stopping, lambda: supervise(settings, services))
    except RuntimeError as exc:
        echo(str(exc))
        return 1
    finally:
        stop_all(services)
        echo("stoppet.")
