"""Several held-out sets tested with one model load, each written where `rasa test nlu` would write it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.rasa_adapter import nlu_evaluation
from bot.rasa_adapter.commands import nlu_test_command


def test_the_command_names_each_set_and_its_folder():
    command = nlu_test_command(Path("models/m.tar.gz"), [("tests/nlu", Path("results/nlu")), ("en.yml", Path("r/en"))])

    assert command[1:] == ["-m", "bot.rasa_adapter.nlu_evaluation", "--model", "models/m.tar.gz",
                           "--set", "tests/nlu", "results/nlu", "--set", "en.yml", "r/en"]
    arguments = nlu_evaluation.parse_arguments(command[3:])
    assert arguments.sets == [["tests/nlu", "results/nlu"], ["en.yml", "r/en"]]
    assert arguments.domain == "domain.yml"


def test_one_load_then_every_set_with_successes_errors_and_plots(monkeypatch, tmp_path):
    import rasa.core.agent
    import rasa.nlu.test

    loads: list[str] = []
    evaluations: list[tuple[str, Any, dict[str, Any]]] = []

    class FakeAgent:
        processor = object()

    def load(model_path: str) -> FakeAgent:
        loads.append(model_path)
        return FakeAgent()

    async def run_evaluation(data_path: str, processor: Any, **options: Any) -> dict[str, Any]:
        assert Path(options["output_directory"]).is_dir()
        evaluations.append((data_path, processor, options))
        return {}

    monkeypatch.setattr(rasa.core.agent.Agent, "load", staticmethod(load))
    monkeypatch.setattr(rasa.nlu.test, "run_evaluation", run_evaluation)
    first, second = tmp_path / "nlu", tmp_path / "deeper" / "nlu_en"

    nlu_evaluation.main(["--model", "m.tar.gz", "--set", "tests/nlu", str(first), "--set", "en.yml", str(second)])

    assert loads == ["m.tar.gz"]
    assert [(path, processor) for path, processor, _ in evaluations] == [
        ("tests/nlu", FakeAgent.processor), ("en.yml", FakeAgent.processor)]
    assert [options for *_, options in evaluations] == [
        {"output_directory": str(folder), "successes": True, "errors": True, "domain_path": "domain.yml"}
        for folder in (first, second)
    ]
