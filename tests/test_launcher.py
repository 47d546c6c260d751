from __future__ import annotations

from pathlib import Path

from bot.launcher import Service, build_services
from bot.settings import load_settings


def test_services_bind_to_configured_loopback_ports(tmp_path: Path):
    settings = load_settings(
        {"VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "k" * 40, "VEIVALG_RASA_PORT": "6100"}
    )
    actions, rasa = build_services(settings)

    assert actions.command[-2:] == ["--port", "5055"]
    assert rasa.command[rasa.command.index("--interface") + 1] == "127.0.0.1"
    assert rasa.command[rasa.command.index("--port") + 1] == "6100"
    assert rasa.health_url == "http://127.0.0.1:6100/"


def test_a_crashing_service_is_restarted_only_so_often(tmp_path: Path):
    service = Service("x", ["true"], "http://127.0.0.1:1/", tmp_path / "x.log")

    allowed = [service.may_restart(now=100.0 + i, limit=3, window=60.0) for i in range(4)]
    assert allowed == [True, True, True, False]
    assert service.may_restart(now=500.0, limit=3, window=60.0)
