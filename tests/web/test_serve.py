"""The web process starts under uvicorn without TensorFlow, which spaCy (under the review app's redactor) would load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.paths import PROJECT_ROOT
from tests.fixtures.servers import free_port, wait_until_healthy


def test_the_web_process_answers_without_tensorflow_loaded(tmp_path: Path):
    port = free_port()
    log = tmp_path / "web.log"
    env = dict(os.environ, VEIVALG_HOME=str(PROJECT_ROOT), VEIVALG_DATABASE_URL=f"sqlite:///{tmp_path / 'v.db'}")
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.web.serve", "bot.web.app:create_app", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--ws", "none"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}/healthz", process, log)
        mapped = Path(f"/proc/{process.pid}/maps").read_text()
        assert "/spacy/" in mapped, "the review app's redactor (Presidio, spaCy) is loaded"
        assert "tensorflow" not in mapped
    finally:
        process.terminate()
        process.wait(timeout=30)
