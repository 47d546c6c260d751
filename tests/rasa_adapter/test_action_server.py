"""The action server: the redactor built before the first call, no TensorFlow, what it loaded kept from the GC."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.paths import PROJECT_ROOT
from bot.rasa_adapter.commands import ACTION_SECRET_HEADER
from bot.settings import load_settings
from tests.fixtures.servers import free_port, start_action_server


def test_the_action_server_answers_only_with_the_secret_and_freezes_what_it_loaded(tmp_path):
    import os
    import time

    import httpx

    port = free_port()
    log = tmp_path / "actions.log"
    env = dict(os.environ, LOG_LEVEL="INFO", VEIVALG_HOME=str(PROJECT_ROOT))
    process = start_action_server(port, env, log)
    try:
        deadline = time.monotonic() + 10
        while "left out of garbage collection" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "left out of garbage collection" in log.read_text()
        # The redactor is built before the first call (spaCy's compiled code is mapped), without TensorFlow.
        mapped = Path(f"/proc/{process.pid}/maps").read_text()
        assert "/spacy/" in mapped and "tensorflow" not in mapped

        webhook = f"http://127.0.0.1:{port}/webhook"
        call = {"next_action": "no_such_action", "tracker": {"sender_id": "x", "events": []}, "domain": {}}
        assert httpx.post(webhook, json=call, timeout=10).status_code == 401, "no secret: refused"
        wrong = httpx.post(webhook, json=call, headers={ACTION_SECRET_HEADER: "guess"}, timeout=10)
        assert wrong.status_code == 401
        secret = load_settings(env).action_server_secret
        right = httpx.post(webhook, json=call, headers={ACTION_SECRET_HEADER: secret}, timeout=10)
        assert right.status_code == 404, right.text  # let in: the action does not exist
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_loading_every_action_loads_neither_tensorflow_nor_presidio():
    """The actions need the catalogue and the database, not the Rasa server's machinery (0.4 GB more)."""
    script = (
        "import importlib, json, pkgutil, sys, actions\n"
        "for m in pkgutil.iter_modules(actions.__path__): importlib.import_module('actions.' + m.name)\n"
        "print(json.dumps(sorted(m for m in ('tensorflow', 'presidio_analyzer', 'spacy', 'rasa.core') "
        "if m in sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                            check=True, timeout=120)

    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
