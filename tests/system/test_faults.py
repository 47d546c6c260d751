"""Faults in the scaled profile: the real `veivalg run-scaled` (PostgreSQL, Redis, two Rasa servers with
their action servers, nginx) on free ports, started once for this module; processes are killed under
load and we check what the users saw and what the conversation store kept.

These run only where the scaled services can be started (`make scaled-deps` installs them).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from bench.load_run import run_locust
from bench.store_check import LoadRun, stored_user_messages, summarise, technical_problem_text, verify
from bot.paths import PROJECT_ROOT
from bot.settings import CHANNEL_SECRET_HEADER, load_settings
from tests.fixtures.widget import WidgetClient

STARTUP_SECONDS = 420
MODEL = PROJECT_ROOT / "models" / "veivalg.tar.gz"


def scaled_services_available() -> bool:
    """PostgreSQL, Redis and nginx installed, a trained model, and (as root) the `postgres` user."""
    import pwd

    from bot.ops import scaled
    try:
        scaled.postgres_bin_dir()
        scaled.find_program("redis-server")
        scaled.find_program("nginx", [Path("/usr/sbin/nginx")])
        if os.geteuid() == 0:
            pwd.getpwnam("postgres")
    except (RuntimeError, KeyError):
        return False
    return MODEL.is_file()


pytestmark = pytest.mark.skipif(
    not scaled_services_available(), reason="the scaled profile needs PostgreSQL, Redis and nginx: make scaled-deps"
)


def free_block(size: int) -> int:
    """The first of `size` consecutive free ports on 127.0.0.1."""
    rng = random.Random()
    for _ in range(200):
        base = rng.randrange(20000, 40000)
        if all(_port_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("no free ports")


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Stack:
    process: subprocess.Popen[str]
    folder: Path
    gateway: int
    actions: int
    postgres: int
    redis: int
    token: str
    channel_secret: str = ""
    web: int = 0  # nginx's web address; the web processes listen on the next ports
    output: list[str] = field(default_factory=list)

    def web_url(self, process: int = 0) -> str:
        """nginx in front of the web processes, or (1, 2) one web process directly."""
        return f"http://127.0.0.1:{self.web + process}"

    @property
    def headers(self) -> dict[str, str]:
        return {CHANNEL_SECRET_HEADER: self.channel_secret}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway}/webhooks/rest/webhook"

    @property
    def rasa_upstreams(self) -> list[str]:
        return [f"127.0.0.1:{self.gateway + 1}", f"127.0.0.1:{self.gateway + 2}"]

    @property
    def store_url(self) -> str:
        password = (self.folder / "postgres-password").read_text(encoding="utf-8").strip()
        return f"postgresql://veivalg:{password}@127.0.0.1:{self.postgres}/veivalg"

    def pid(self, name: str) -> int:
        return int((self.folder / "log" / f"{name}.pid").read_text(encoding="utf-8"))

    def ready_count(self, name: str) -> int:
        return sum(1 for line in list(self.output) if f"] {name} er klar" in line)

    def wait_until(self, condition: Callable[[], bool], seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            assert time.monotonic() < deadline, f"{what} within {seconds:.0f} s:\n" + "\n".join(self.output[-30:])
            time.sleep(0.5)

    def post(self, sender: str, text: str, **extra: str) -> httpx.Response:
        return httpx.post(
            self.url, json={"sender": sender, "message": text},
            headers={"X-Veivalg-Sender": sender, **self.headers, **extra}, timeout=90,
        )

    def texts(self, sender: str, text: str) -> list[str]:
        response = self.post(sender, text)
        assert response.status_code == 200, response.text
        return [str(m.get("text") or "") for m in response.json()]

    def upstream(self, sender: str) -> str:
        return self.post(sender, "hei").headers["X-Veivalg-Upstream"]

    def sender_on(self, upstream: str, prefix: str) -> str:
        """A new conversation id that the gateway sends to `upstream`."""
        for number in range(200):
            sender = f"{prefix}-{number}"
            if self.upstream(sender) == upstream:
                return sender
        raise AssertionError(f"no conversation id hashes to {upstream}")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    folder = Path(tempfile.mkdtemp(prefix="veivalg-faults-"))
    folder.chmod(0o755)  # PostgreSQL runs as its own user and must reach its folder
    gateway, actions, postgres, redis, web = free_block(3), free_block(2), free_block(1), free_block(1), free_block(3)
    env = {k: v for k, v in os.environ.items() if k not in ("VEIVALG_TRACKER_STORE_URL", "VEIVALG_DATABASE_URL")}
    env.update({
        "VEIVALG_SCALED_DIR": str(folder),
        "VEIVALG_GATEWAY_PORT": str(gateway),
        "VEIVALG_ACTIONS_PORT": str(actions),
        "VEIVALG_POSTGRES_PORT": str(postgres),
        "VEIVALG_REDIS_PORT": str(redis),
        "VEIVALG_RASA_SERVERS": "2",
        "VEIVALG_WEB_PORT": str(web),
        "VEIVALG_WEB_SERVERS": "2",
        "VEIVALG_SECRET_KEY": "faults-" + "s" * 40,
        "VEIVALG_LOG_DIR": str(folder / "log"),
    })
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.cli", "run-scaled"], cwd=PROJECT_ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    running = Stack(process, folder, gateway, actions, postgres, redis, load_settings(env).rasa_api_token,
                    load_settings(env).channel_secret, web)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            running.output.append(line.rstrip())

    threading.Thread(target=read, daemon=True).start()
    try:
        running.wait_until(
            lambda: any("svarer på" in line for line in running.output) or process.poll() is not None,
            STARTUP_SECONDS, "the scaled profile did not start",
        )
        assert process.poll() is None, "\n".join(running.output)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(folder, ignore_errors=True)


def load_in_background(
    stack: Stack, users: int, duration: float, prefix: str
) -> tuple[threading.Thread, list[LoadRun]]:
    """Start a load run in a thread; the list gets its result."""
    result: list[LoadRun] = []

    def work() -> None:
        result.append(run_locust(stack.url, users, duration, think=0.4, ramp=2.0, prefix=prefix,
                                 headers=stack.headers, conversations=1))

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread, result


def finished(thread: threading.Thread, result: list[LoadRun], seconds: float) -> LoadRun:
    thread.join(seconds)
    assert not thread.is_alive() and result, "the load run did not finish"
    return result[0]


def completed_conversations(run: LoadRun) -> int:
    """Conversations whose last step (the answer after the rating) was acknowledged."""
    return sum(1 for turns in run.by_sender().values() if turns[-1].last and turns[-1].acknowledged)


def test_one_conversation_always_reaches_the_same_rasa_server(stack: Stack):
    seen: dict[str, set[str]] = {}
    for number in range(16):
        sender = f"routing-{number}"
        for text in ("hei", "/deny", "hva gjør en kokk"):
            response = stack.post(sender, text)
            assert response.status_code == 200
            seen.setdefault(sender, set()).add(response.headers["X-Veivalg-Upstream"])

    assert all(len(upstreams) == 1 for upstreams in seen.values()), seen
    assert set().union(*seen.values()) == set(stack.rasa_upstreams)  # both servers carry conversations
    sender, (upstream,) = next(iter(seen.items()))
    by_query = httpx.post(f"{stack.url}?sender={sender}", json={"sender": sender, "message": "hei"},
                          headers=stack.headers, timeout=60)
    by_path = httpx.get(
        f"http://127.0.0.1:{stack.gateway}/conversations/{sender}/tracker", params={"token": stack.token}, timeout=60
    )
    assert by_query.headers["X-Veivalg-Upstream"] == upstream
    assert by_path.status_code == 200 and by_path.headers["X-Veivalg-Upstream"] == upstream


def test_concurrent_conversations_are_stored_in_postgresql_exactly_once(stack: Stack):
    run = run_locust(stack.url, users=8, duration=120, think=0.3, ramp=1.0, prefix="steady", headers=stack.headers,
                     conversations=1)
    summary = summarise(run)
    verification = verify(run, stored_user_messages(stack.store_url, run.by_sender()))

    assert summary.errors == {}
    assert summary.unexpected == 0
    assert verification.checked == 8 and verification.ok, verification.failures


def test_clients_without_a_routing_header_keep_their_conversations_at_any_server(stack: Stack):
    """Rasa's plain REST body only: nginx cannot route by conversation, so turns land on both servers."""
    run = run_locust(stack.url, users=6, duration=120, think=0.3, ramp=1.0, prefix="plain", headers=stack.headers,
                     conversations=1, routing_header=False)
    summary = summarise(run)
    verification = verify(run, stored_user_messages(stack.store_url, run.by_sender()))

    assert summary.errors == {} and summary.unexpected == 0
    assert verification.checked == 6 and verification.ok, verification.failures
    moved = [s for s, turns in run.by_sender().items() if len({t.upstream for t in turns}) > 1]
    assert moved, "every conversation stayed on one server: the test did not test anything"


def test_a_killed_action_server_gets_a_kind_answer_and_the_conversation_goes_on(stack: Stack):
    sender = stack.sender_on(stack.rasa_upstreams[0], "actions-down")  # rasa-1 calls handlingsserver-1
    stack.texts(sender, "/affirm")
    assert "Hva er viktig for deg" in stack.texts(sender, "/explore_self_in_context")[-1]
    before = stack.ready_count("handlingsserver-1")
    os.kill(stack.pid("actions-1"), signal.SIGKILL)

    during = stack.texts(sender, "å få en fast jobb")

    assert during == [technical_problem_text()]
    stack.wait_until(lambda: stack.ready_count("handlingsserver-1") > before, 60, "handlingsserver-1 restarted")
    after = stack.texts(sender, "å få en fast jobb")
    assert any("Hvem har mest å si" in text for text in after), after
    stored = stored_user_messages(stack.store_url, [sender])[sender]
    assert stored[-1] == "å få en fast jobb" and stored[:3] == ["hei", "/affirm", "/explore_self_in_context"]


def test_a_redis_restart_under_load_loses_no_message(stack: Stack):
    before = stack.ready_count("redis")
    thread, result = load_in_background(stack, users=10, duration=90, prefix="redis")
    time.sleep(6)
    os.kill(stack.pid("redis"), signal.SIGKILL)
    stack.wait_until(lambda: stack.ready_count("redis") > before, 30, "redis restarted")
    run = finished(thread, result, 150)

    summary = summarise(run)
    verification = verify(run, stored_user_messages(stack.store_url, run.by_sender()))
    assert set(summary.errors) <= {"technical problem"}, summary.errors  # said honestly, never a wrong answer
    assert verification.ok, verification.failures
    assert completed_conversations(run) == 10  # the users' second try went through


def test_a_postgresql_restart_under_load_loses_no_acknowledged_message(stack: Stack):
    before = stack.ready_count("postgresql")
    thread, result = load_in_background(stack, users=10, duration=90, prefix="postgres")
    time.sleep(6)
    os.kill(stack.pid("postgresql"), signal.SIGINT)  # fast shutdown; `run-scaled` starts it again
    stack.wait_until(lambda: stack.ready_count("postgresql") > before, 60, "postgresql restarted")
    run = finished(thread, result, 150)

    summary = summarise(run)
    verification = verify(run, stored_user_messages(stack.store_url, run.by_sender()))
    assert set(summary.errors) <= {"technical problem"}, summary.errors
    assert verification.lost == 0 and verification.duplicated == 0, verification.failures[:3]
    assert verification.ok, verification.failures[:3]


def test_a_killed_rasa_server_moves_its_conversations_to_the_other(stack: Stack):
    dead, alive = stack.rasa_upstreams
    before = stack.ready_count("rasa-1")
    thread, result = load_in_background(stack, users=12, duration=150, prefix="rasa-down")
    time.sleep(6)
    os.kill(stack.pid("rasa-1"), signal.SIGKILL)
    run = finished(thread, result, 240)

    summary = summarise(run)
    verification = verify(run, stored_user_messages(stack.store_url, run.by_sender()))
    moved = [
        sender for sender, turns in run.by_sender().items()
        if any(t.upstream == dead for t in turns) and any(t.upstream == alive for t in turns)
    ]
    assert moved, "no conversation was on the killed server"
    # Only a message that was being answered when the server died fails (502); its user tries again.
    assert set(summary.errors) <= {"http 502", "technical problem"}, summary.errors
    assert sum(summary.errors.values()) <= 12
    assert verification.ok, verification.failures[:3]
    assert completed_conversations(run) == 12
    stack.wait_until(lambda: stack.ready_count("rasa-1") > before, 300, "rasa-1 restarted")
    assert stack.upstream(stack.sender_on(dead, "rasa-back")) == dead


def test_a_widget_conversation_goes_on_whichever_web_process_serves_it(stack: Stack):
    listener = WidgetClient(stack.web_url(1)).start()  # the session opened by one web process
    listener.listen()  # and its event stream served by that process
    try:
        other = WidgetClient(stack.web_url(2), token=listener.token)
        answer = other.send("hei")  # the message written by the other process

        seqs = [m["seq"] for m in answer["messages"]]
        assert seqs[0] == 1 and len(seqs) >= 2 and not answer["error"], answer
        assert listener.wait_for(seqs[-1]), listener.seen
        assert listener.seen == seqs
        through_nginx = WidgetClient(stack.web_url(), token=listener.token).send("/affirm")["messages"]
        assert listener.wait_for(through_nginx[-1]["seq"]) and listener.seen == seqs + [m["seq"] for m in through_nginx]
    finally:
        listener.stop()


def widgets_through_a_fault(stack: Stack, fault: Callable[[], None]) -> tuple[list[WidgetClient], dict[int, list[int]]]:
    """Eight widgets talk and listen through nginx while `fault` happens; what each saw and got acknowledged."""
    clients = [WidgetClient(stack.web_url()).start() for _ in range(8)]
    for client in clients:
        client.listen()
    acknowledged: dict[int, list[int]] = {number: [] for number in range(len(clients))}

    failures: list[str] = []

    texts = ["hei", "/affirm", "/ask_occupation_info", "Hva gjør en elektriker?", "takk", "hva tjener en kokk"]

    def talk(number: int) -> None:
        try:
            for text in texts:
                answer = clients[number].send(text)
                acknowledged[number] += [m["seq"] for m in answer["messages"]]
                time.sleep(0.7)
        except Exception as exc:  # reported below, with the widget's number
            failures.append(f"widget {number}: {exc!r}")

    threads = [threading.Thread(target=talk, args=(number,)) for number in range(len(clients))]
    try:
        for thread in threads:
            thread.start()
        time.sleep(2.5)
        fault()
        for thread in threads:
            thread.join(timeout=180)
        assert not any(thread.is_alive() for thread in threads), "a widget never got its answers"
        assert not failures, failures
        for number, client in enumerate(clients):  # the stream catches up with the latest answer
            assert client.wait_for(max(acknowledged[number]), 60), (number, client.seen, acknowledged[number])
    finally:
        for client in clients:
            client.stop()
    return clients, acknowledged


def test_a_killed_web_process_costs_its_widgets_a_reconnect_and_no_message(stack: Stack):
    before = stack.ready_count("nettside-1")

    # With about half of the event streams open on it.
    clients, acknowledged = widgets_through_a_fault(stack, lambda: os.kill(stack.pid("web-1"), signal.SIGKILL))

    assert sum(client.reconnects for client in clients) >= 1  # streams on the killed process came back
    for number, client in enumerate(clients):
        assert len(client.seen) == len(set(client.seen)), f"widget {number} saw a message twice: {client.seen}"
        assert client.seen == sorted(client.seen), f"widget {number} saw messages out of order: {client.seen}"
        assert set(acknowledged[number]) <= set(client.seen)  # nothing acknowledged is missing from the stream
        assert client.seen == list(range(1, len(client.seen) + 1))  # no gap: every message, once, in order
    stack.wait_until(lambda: stack.ready_count("nettside-1") > before, 90, "nettside-1 restarted")


def test_a_redis_restart_costs_the_widgets_a_retry_and_their_streams_go_on(stack: Stack):
    before = stack.ready_count("redis")

    # The chat's state goes with Redis (nothing on disk); each conversation goes on with its token.
    clients, acknowledged = widgets_through_a_fault(stack, lambda: os.kill(stack.pid("redis"), signal.SIGKILL))

    stack.wait_until(lambda: stack.ready_count("redis") > before, 30, "redis restarted")
    # A stream either closed quietly and reconnected, or went on at once when a message reopened its
    # conversation first; both delivered every later message (checked in widgets_through_a_fault).
    for number, client in enumerate(clients):
        assert not client.ended, f"widget {number} was told its conversation ended"
        assert len(client.seen) == len(set(client.seen)), f"widget {number} saw a message twice: {client.seen}"
        assert client.seen == sorted(client.seen), f"widget {number} saw messages out of order: {client.seen}"
        # Every acknowledged message was on the screen (answers show at once; the stream's log before the
        # restart went with Redis, so the stream itself goes on from the first message after it).
        assert set(acknowledged[number]) <= client.shown


def test_ctrl_c_stops_every_process_and_frees_every_port(stack: Stack):
    pids = {name: stack.pid(name) for name in ("postgresql", "redis", "actions-1", "rasa-2", "nginx")}
    stack.process.send_signal(signal.SIGINT)

    assert stack.process.wait(timeout=120) == 0
    for port in (stack.gateway, stack.gateway + 1, stack.gateway + 2, stack.actions, stack.actions + 1,
                 stack.postgres, stack.redis, stack.web, stack.web + 1, stack.web + 2):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"something still listens on port {port}"
    for name, pid in pids.items():
        assert not Path(f"/proc/{pid}").exists(), f"{name} still runs"
    assert not list((stack.folder / "log").glob("*.pid"))
