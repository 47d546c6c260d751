from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.ops.spacy_model import BLANK_SOURCE, PreparedPipeline
from bot.ops.training import FINGERPRINT_FILE, model_path, needs_training, training_fingerprint
from bot.paths import PROJECT_ROOT
from bot.settings import load_settings


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("config.yml", "domain.yml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "data" / "nlu", tmp_path / "data" / "nlu")
    shutil.copytree(PROJECT_ROOT / "data" / "rules", tmp_path / "data" / "rules")
    shutil.copytree(PROJECT_ROOT / "data" / "stories", tmp_path / "data" / "stories")
    return tmp_path


BLANK = PreparedPipeline(Path("x"), BLANK_SOURCE, "3.4.4", ())


def test_fingerprint_is_stable(project: Path):
    assert training_fingerprint(project, BLANK) == training_fingerprint(project, BLANK)


@pytest.mark.parametrize("changed", ["config.yml", "domain.yml", "data/nlu/smalltalk.yml", "data/rules/smalltalk.yml"])
def test_any_training_input_changes_the_fingerprint(project: Path, changed: str):
    before = training_fingerprint(project, BLANK)
    with (project / changed).open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")

    assert training_fingerprint(project, BLANK) != before


def test_a_new_spacy_model_changes_the_fingerprint(project: Path):
    real = PreparedPipeline(Path("x"), "nb_core_news_md", "3.4.0", ("tok2vec", "ner"))

    assert training_fingerprint(project, real) != training_fingerprint(project, BLANK)


def test_needs_training_until_a_model_with_the_same_fingerprint_exists(project: Path):
    settings = load_settings({"VEIVALG_HOME": str(project), "VEIVALG_SECRET_KEY": "k" * 40})
    assert needs_training(settings, BLANK)

    settings.model_dir.mkdir()
    model_path(settings).write_bytes(b"model")
    (settings.model_dir / FINGERPRINT_FILE).write_text(training_fingerprint(project, BLANK))
    assert not needs_training(settings, BLANK)

    (project / "data" / "nlu" / "smalltalk.yml").write_text("version: '3.1'\n")
    assert needs_training(settings, BLANK)
