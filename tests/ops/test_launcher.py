from __future__ import annotations

from pathlib import Path

from bot.ops.launcher import Service, build_services
from bot.settings import load_settings


def test_services_bind_to_configured_loopback_ports(tmp_path: Path):
    settings = load_settings(
        {"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40, "VEIVALG_RASA_PORT": "6100",
         "VEIVALG_WEB_PORT": "8100", "VEIVALG_ACTIONS": "server"}
    )
    actions, rasa, web = build_services(settings)

    assert actions.command[-2:] == ["--port", "5055"]
    assert rasa.command[rasa.command.index("--interface") + 1] == "127.0.0.1"
    assert rasa.command[rasa.command.index("--port") + 1] == "6100"
    assert rasa.health_url == "http://127.0.0.1:6100/"
    assert web.command[web.command.index("--host") + 1] == "127.0.0.1"
    assert web.health_url == "http://127.0.0.1:8100/healthz"


def test_by_default_the_actions_run_inside_rasa_and_no_action_server_starts(tmp_path: Path):
    import yaml

    from bot.ops.launcher import endpoints_file

    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40})  # the default

    assert [service.name for service in build_services(settings)] == ["rasa", "nettside"]
    endpoints = yaml.safe_load(endpoints_file(settings).read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == "in-process://actions"
    assert settings.rasa_environment()["VEIVALG_ACTION_ENDPOINT_URL"] == "in-process://actions"


def test_the_channel_secret_is_written_for_local_clients_only(tmp_path: Path):
    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40})

    build_services(settings)

    written = tmp_path / "var" / "run" / "channel-secret"
    assert written.read_text(encoding="utf-8") == settings.channel_secret
    assert written.stat().st_mode & 0o777 == 0o600
    assert settings.channel_secret not in (settings.action_server_secret, settings.rasa_api_token)


def test_a_crashing_service_is_restarted_only_so_often(tmp_path: Path):
    service = Service("x", ["true"], "http://127.0.0.1:1/", tmp_path / "x.log")

    allowed = [service.may_restart(now=100.0 + i, limit=3, window=60.0) for i in range(4)]
    assert allowed == [True, True, True, False]
    assert service.may_restart(now=500.0, limit=3, window=60.0)


def test_the_retention_purge_runs_at_start_and_then_hourly(monkeypatch, tmp_path: Path):
    from bot.ops import launcher
    from bot.privacy import retention
    calls = []

    def purge(settings):
        calls.append(settings)
        return retention.PurgeResult(0, 0, 0)

    monkeypatch.setattr(retention, "purge", purge)
    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40})
    schedule = launcher.RetentionSchedule(every=3600.0)

    ran = [schedule.run_if_due(settings, now=t) for t in (0.0, 10.0, 3599.0, 3600.0, 3700.0)]

    assert ran == [True, False, False, True, False]
    assert len(calls) == 2


def test_a_failing_purge_does_not_stop_the_service(monkeypatch, tmp_path: Path, capsys):
    from bot.ops import launcher
    from bot.privacy import retention
    def locked(settings):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(retention, "purge", locked)
    settings = load_settings({"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40})

    assert launcher.RetentionSchedule().run_if_due(settings, now=0.0) is False
    assert "database is locked" in capsys.readouterr().out


def test_a_port_already_in_use_is_said_plainly_and_nothing_is_started(tmp_path: Path):
    """A second `make run` must not mistake the first one's answers for its own servers being ready."""
    import socket

    import pytest

    from bot.ops.launcher import start_all, start_service

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = load_settings(
            {"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40, "VEIVALG_ACTIONS_PORT": str(port),
             "VEIVALG_ACTIONS": "server"}
        )
        actions = build_services(settings)[0]

        with pytest.raises(RuntimeError, match=f"127.0.0.1:{port} er allerede i bruk"):
            start_service(settings, actions)
        services = build_services(settings)
        with pytest.raises(RuntimeError, match=f"127.0.0.1:{port} er allerede i bruk"):
            start_all(settings, services)  # all at once: refused before any of them starts

    assert actions.process is None
    assert all(service.process is None for service in services)
