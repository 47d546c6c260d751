"""Files under var/ are readable by Veivalg's own user only, from the first byte."""

from __future__ import annotations

import os
import stat

import pytest

from bot.ops.private_files import make_private
from bot.settings import load_settings


@pytest.fixture
def umask_restored():
    before = os.umask(0o022)
    yield
    os.umask(before)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_existing_files_become_private_and_new_ones_are_private_from_the_start(tmp_path, umask_restored):
    var = tmp_path / "var"
    (var / "log").mkdir(parents=True)
    (var / "veivalg.db").write_text("x")
    (var / "log" / "web.log").write_text("x")
    assert _mode(var / "veivalg.db") == 0o644  # what the old umask gave

    make_private(var)
    (var / "tracker.db").write_text("y")
    (var / "new").mkdir()

    assert _mode(var) == 0o700 and _mode(var / "log") == 0o700 and _mode(var / "new") == 0o700
    assert {_mode(p) for p in (var / "veivalg.db", var / "log" / "web.log", var / "tracker.db")} == {0o600}


def test_the_development_secret_is_created_private(tmp_path, umask_restored):
    settings = load_settings({"VEIVALG_HOME": str(tmp_path)})

    secret = settings.var_dir / "secret_key"
    assert _mode(secret) == 0o600 and secret.read_text() == settings.secret_key
