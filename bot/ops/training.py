"""Train the Rasa model only when its inputs changed."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bot.ops.runtime_env import child_environment
from bot.ops.spacy_model import PreparedPipeline
from bot.paths import files_fingerprint
from bot.rasa_adapter.commands import engine_version, train_command
from bot.settings import Settings

MODEL_NAME = "veivalg"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data/nlu", "data/stories", "data/rules")
FINGERPRINT_FILE = ".veivalg-fingerprint"


class TrainingError(RuntimeError):
    """Rasa training failed."""


@dataclass(frozen=True)
class TrainingResult:
    """What `train` did."""

    model_path: Path
    trained: bool
    seconds: float


def model_path(settings: Settings) -> Path:
    """Where the trained model lives."""
    return settings.model_dir / f"{MODEL_NAME}.tar.gz"


def training_fingerprint(home: Path, pipeline: PreparedPipeline) -> str:
    """A hash of every training input file and of the spaCy pipeline in use."""
    return files_fingerprint(
        home, TRAINING_INPUTS, salt=f"rasa={engine_version()};spacy={pipeline.fingerprint()}",
        suffixes={".yml", ".yaml", ".json", ".txt", ""},
    )


def needs_training(settings: Settings, pipeline: PreparedPipeline) -> bool:
    """True when there is no model or its inputs changed since it was trained."""
    stamp = settings.model_dir / FINGERPRINT_FILE
    if not model_path(settings).is_file() or not stamp.is_file():
        return True
    return stamp.read_text(encoding="utf-8").strip() != training_fingerprint(settings.home, pipeline)


def train(settings: Settings, pipeline: PreparedPipeline, force: bool = False) -> TrainingResult:
    """Run `rasa train` when needed; the output streams to the console so progress shows."""
    target = model_path(settings)
    if not force and not needs_training(settings, pipeline):
        return TrainingResult(target, trained=False, seconds=0.0)
    fingerprint = training_fingerprint(settings.home, pipeline)
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    command = train_command(settings.model_dir, MODEL_NAME)
    started = time.monotonic()
    completed = subprocess.run(
        command, cwd=settings.home, env=child_environment(settings, log_level="INFO"), check=False
    )
    seconds = time.monotonic() - started
    if completed.returncode != 0 or not target.is_file():
        raise TrainingError(f"rasa train failed with exit code {completed.returncode}")
    (settings.model_dir / FINGERPRINT_FILE).write_text(fingerprint, encoding="utf-8")
    return TrainingResult(target, trained=True, seconds=seconds)
