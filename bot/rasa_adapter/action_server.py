"""The action server: rasa_sdk's own, with the code it loaded kept out of the garbage collector's way."""

from __future__ import annotations

from typing import Any

from rasa_sdk.endpoint import create_app as rasa_sdk_create_app


async def _code_loaded(app: Any, loop: Any) -> None:
    from bot.rasa_adapter.speedups import freeze_loaded_objects

    freeze_loaded_objects()


def create_app(*args: Any, **kwargs: Any) -> Any:
    """rasa_sdk's app, which freezes what it loaded once it has started."""
    app = rasa_sdk_create_app(*args, **kwargs)
    app.register_listener(_code_loaded, "after_server_start")
    return app


def main() -> None:
    """`python -m bot.rasa_adapter.action_server --actions actions --port 5055` (`python -m rasa_sdk`'s arguments)."""
    import rasa_sdk.endpoint
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk.endpoint.create_app = create_app
    rasa_sdk_main()


if __name__ == "__main__":
    main()
