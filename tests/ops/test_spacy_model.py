"""Both paths: an installed Norwegian model is used, and without one a saved blank pipeline loads in Rasa."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import spacy

from bot.ops import spacy_model
from bot.ops.spacy_model import BLANK_SOURCE, prepare_pipeline, read_prepared


@pytest.fixture(autouse=True)
def fresh_announcements(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(spacy_model, "_announced", set())


@pytest.fixture
def installed_model(tmp_path: Path) -> str:
    """A small Norwegian pipeline saved like an installed model (a folder spaCy can load)."""
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    nlp.meta.update({"name": "core_news_sm", "version": "3.4.0"})
    path = tmp_path / "nb_core_news_sm"
    nlp.to_disk(path)
    return str(path)


def test_without_a_model_a_blank_norwegian_pipeline_is_saved(tmp_path: Path, caplog):
    target = tmp_path / "spacy" / "nb"
    with caplog.at_level(logging.INFO, logger="bot.ops.spacy_model"):
        prepared = prepare_pipeline(target, candidates=("nb_core_news_not_installed",))

    assert prepared.is_blank and prepared.source == BLANK_SOURCE
    nlp = spacy.load(target)
    assert nlp.lang == "nb" and nlp.pipe_names == [] and nlp.path is not None
    assert [t.text for t in nlp("Kan jeg bli tømrer?")] == ["Kan", "jeg", "bli", "tømrer", "?"]
    assert sum("blank Norwegian pipeline" in r.message for r in caplog.records) == 1


def test_rasa_spacy_nlp_accepts_the_saved_blank_pipeline(tmp_path: Path):
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    target = tmp_path / "nb"
    prepare_pipeline(target, candidates=())

    model = SpacyNLP.load_model(str(target))
    SpacyNLP.ensure_proper_language_model(model.model)
    assert model.model.lang == "nb"


def test_an_installed_model_is_used_when_present(tmp_path: Path, installed_model: str, caplog):
    target = tmp_path / "nb"
    with caplog.at_level(logging.INFO, logger="bot.ops.spacy_model"):
        prepared = prepare_pipeline(target, candidates=("nb_core_news_md", installed_model))

    assert not prepared.is_blank
    assert prepared.source == installed_model and prepared.version == "3.4.0"
    assert spacy.load(target).pipe_names == ["sentencizer"]
    assert any("spaCy: using" in r.message for r in caplog.records)


def test_preparing_again_is_a_no_op_and_logs_once(tmp_path: Path, caplog):
    target = tmp_path / "nb"
    with caplog.at_level(logging.INFO, logger="bot.ops.spacy_model"):
        first = prepare_pipeline(target, candidates=())
        stamp = (target / "meta.json").stat().st_mtime_ns
        second = prepare_pipeline(target, candidates=())

    assert first.fingerprint() == second.fingerprint()
    assert (target / "meta.json").stat().st_mtime_ns == stamp
    assert sum("spaCy" in r.message for r in caplog.records) == 1


def test_installing_a_model_later_replaces_the_blank_pipeline(tmp_path: Path, installed_model: str):
    target = tmp_path / "nb"
    blank = prepare_pipeline(target, candidates=())
    real = prepare_pipeline(target, candidates=(installed_model,))

    assert blank.fingerprint() != real.fingerprint()
    prepared = read_prepared(target)
    assert prepared is not None and prepared.components == ("sentencizer",)
