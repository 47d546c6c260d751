"""The safety classifier is kept between starts and trained again exactly when what it learns from changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import classifier


class Trained:
    """A stand-in for the scikit-learn pipeline (picklable, remembers which training made it)."""

    def __init__(self, number: int) -> None:
        self.number = number


@pytest.fixture
def trainings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    made: list[int] = []

    def train() -> Trained:
        made.append(len(made) + 1)
        return Trained(made[-1])

    monkeypatch.setattr(classifier, "train", train)
    return made


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "examples.yml").write_text("items: []\n", encoding="utf-8")
    monkeypatch.setattr(classifier, "PROJECT_ROOT", root)
    monkeypatch.setattr(classifier, "TRAINING_INPUTS", ("data",))
    return root


def test_a_second_start_reads_the_kept_model_instead_of_training(inputs: Path, trainings: list[int], tmp_path: Path):
    first = classifier.kept_or_trained(tmp_path / "cache")
    again = classifier.kept_or_trained(tmp_path / "cache")
    assert trainings == [1] and first.number == again.number == 1
    assert [p.name.startswith("safety-classifier-") for p in (tmp_path / "cache").iterdir()] == [True]


def test_a_changed_training_file_trains_again_and_replaces_the_kept_model(
    inputs: Path, trainings: list[int], tmp_path: Path
):
    classifier.kept_or_trained(tmp_path / "cache")
    (inputs / "data" / "examples.yml").write_text("items: [{text: ny, label: negative}]\n", encoding="utf-8")
    assert classifier.kept_or_trained(tmp_path / "cache").number == 2
    assert len(list((tmp_path / "cache").iterdir())) == 1


def test_an_unreadable_kept_model_is_trained_again(inputs: Path, trainings: list[int], tmp_path: Path):
    classifier.kept_or_trained(tmp_path / "cache")
    (kept,) = (tmp_path / "cache").iterdir()
    kept.write_bytes(b"not a model")
    assert classifier.kept_or_trained(tmp_path / "cache").number == 2


def test_the_fingerprint_covers_data_patterns_and_code():
    covered = set(classifier.TRAINING_INPUTS)
    assert {"data/safety/examples", "data/nlu", "data/safety/patterns.yml", "bot/safety/classifier.py",
            "bot/safety/patterns.py", "bot/safety/spelling.py"} <= covered
    assert len(classifier.training_fingerprint()) == 16


def test_the_scorer_gives_scikit_learns_probabilities():
    """Every training message and the held-out sets, plus empty, emoji, long and odd messages."""
    import numpy as np

    texts = [example.text for example in classifier.training_examples()]
    for path in sorted(Path(__file__).parent.glob("heldout*.yml")):
        texts += [example.text for example in classifier.load_examples(path)]
    texts += ["", "   ", "🙂🙂", "x" * 10_000, "ÆØÅ æøå", "jeg vil dø", "ok", "I want to die", "123 456"]
    model = classifier.trained_model()

    ours = np.array([classifier.scorer().probability(text) for text in texts])

    assert len(texts) > 7000
    assert np.abs(ours - model.predict_proba(texts)[:, 1]).max() < 1e-12


def test_signal_probability_is_the_scorers():
    assert classifier.signal_probability("jeg orker ikke mer") == classifier.scorer().probability("jeg orker ikke mer")
