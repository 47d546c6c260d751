"""The command lines that train and serve the dialogue engine: the only place that knows Rasa's CLI."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path


def engine_version() -> str:
    """The installed Rasa version, part of the training fingerprint."""
    return version("rasa")


# The header Rasa's action endpoint sends with the shared secret (bot/rasa_adapter/action_server.py).
ACTION_SECRET_HEADER = "X-Veivalg-Action-Secret"
# Rasa's training data; the rest of data/ (catalogue, safety, languages, drafts) is Veivalg's own.
TRAINING_DATA = ("data/nlu", "data/stories", "data/rules")


def train_command(out: Path, model_name: str) -> list[str]:
    """`rasa train` on the project's config, domain and training data, writing `out/<model_name>.tar.gz`."""
    return [
        sys.executable, "-m", "rasa", "train",
        "--config", "config.yml", "--domain", "domain.yml", "--data", *TRAINING_DATA,
        "--out", str(out), "--fixed-model-name", model_name, "--force",
    ]


def server_command(model: Path, endpoints: str, host: str, port: int) -> list[str]:
    """`rasa run` with Veivalg's channel and the HTTP API behind a token that never shows on the command line."""
    return [
        sys.executable, "-m", "bot.rasa_adapter.server", "run",
        "--model", str(model), "--endpoints", endpoints, "--credentials", "credentials.yml",
        "--interface", host, "--port", str(port), "--enable-api",
    ]


def action_server_command(port: int) -> list[str]:
    """The action server (rasa_sdk) running the actions in actions/."""
    return [sys.executable, "-m", "bot.rasa_adapter.action_server", "--actions", "actions", "--port", str(port)]


def nlu_test_command(model: Path, sets: list[tuple[str, Path]]) -> list[str]:
    """`rasa test nlu` on each (held-out files, out folder), every prediction written; the model loaded once."""
    pairs = [item for heldout, out in sets for item in ("--set", heldout, str(out))]
    return [sys.executable, "-m", "bot.rasa_adapter.nlu_evaluation", "--model", str(model), *pairs]
