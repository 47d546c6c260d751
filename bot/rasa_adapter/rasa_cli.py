"""`python -m bot.rasa_adapter.rasa_cli …`: Rasa's own CLI, its neural models loaded for prediction only."""

from __future__ import annotations

from bot.rasa_adapter.speedups import apply_to_model_loading


def main() -> None:
    """Load models as the Rasa server does (the same predictions, bench/model_load.py), then run Rasa's CLI."""
    from rasa.__main__ import main as rasa_main

    apply_to_model_loading()
    rasa_main()


if __name__ == "__main__":
    main()
