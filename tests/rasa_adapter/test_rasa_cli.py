"""Rasa's CLI as the gates run it: the neural models loaded for prediction only, the arguments untouched."""

from __future__ import annotations

import sys

from bot.rasa_adapter import rasa_cli
from bot.rasa_adapter.originals import ORIGINALS


def test_rasa_runs_with_prediction_only_loading_and_the_same_arguments(monkeypatch):
    import rasa.__main__
    from rasa.utils.tensorflow.models import RasaModel

    seen: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(
        rasa.__main__, "main",
        lambda: seen.append((list(sys.argv), RasaModel.load.__func__ is not ORIGINALS[(RasaModel, "load")].__func__)),
    )
    monkeypatch.setattr(sys, "argv", ["rasa_cli.py", "test", "core", "--stories", "tests/test_stories.yml"])

    rasa_cli.main()

    assert seen == [(["rasa_cli.py", "test", "core", "--stories", "tests/test_stories.yml"], True)]
