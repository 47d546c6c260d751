"""`python -m bot.rasa_adapter.nlu_evaluation`: Rasa's `rasa test nlu` on several held-out sets, one model load."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.rasa_adapter.speedups import apply_to_model_loading


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """--model M, then one --set HELDOUT OUT per held-out set."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--domain", default="domain.yml")
    parser.add_argument("--set", nargs=2, action="append", required=True, metavar=("HELDOUT", "OUT"), dest="sets")
    return parser.parse_args(argv)


async def evaluate_sets(model: str, sets: list[tuple[str, str]], domain: str) -> None:
    """What `rasa test nlu --successes` writes for each set (predictions, errors, report, plots)."""
    from rasa.core.agent import Agent
    from rasa.nlu.test import run_evaluation

    agent = Agent.load(model_path=model)
    for heldout, out in sets:
        Path(out).mkdir(parents=True, exist_ok=True)
        await run_evaluation(heldout, agent.processor, output_directory=out, successes=True, errors=True,
                             domain_path=domain)


def main(argv: list[str] | None = None) -> None:
    """Load the model as the Rasa server does (for prediction only, bench/model_load.py), then test each set."""
    args = parse_arguments(argv)
    apply_to_model_loading()
    asyncio.run(evaluate_sets(args.model, [(heldout, out) for heldout, out in args.sets], args.domain))


if __name__ == "__main__":
    main()
