"""The Rasa server is started without its API token on the command line (where `ps` shows it)."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.rasa_adapter import server
from bot.rasa_adapter.commands import server_command
from bot.settings import get_settings


def test_the_command_line_carries_no_token():
    command = server_command(Path("models/veivalg.tar.gz"), "var/run/endpoints.yml", "127.0.0.1", 5005)

    assert "--auth-token" not in command and get_settings().rasa_api_token not in " ".join(command)
    assert command[1:3] == ["-m", "bot.rasa_adapter.server"]


def test_the_token_is_added_inside_the_process(monkeypatch):
    seen: list[list[str]] = []
    import rasa.__main__

    monkeypatch.setattr(rasa.__main__, "main", lambda: seen.append(list(sys.argv)))
    monkeypatch.setattr(sys, "argv", ["server.py", "run", "--enable-api"])

    server.main()

    assert seen == [["rasa", "run", "--enable-api", "--auth-token", get_settings().rasa_api_token]]
