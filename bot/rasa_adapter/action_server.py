"""The action server: rasa_sdk's own, behind a shared secret, with its loaded code kept out of the GC's way."""

from __future__ import annotations

import hmac
from typing import Any

from rasa_sdk.endpoint import create_app as rasa_sdk_create_app

from bot.rasa_adapter.action_calls import conversation_language
from bot.rasa_adapter.commands import ACTION_SECRET_HEADER as SECRET_HEADER

OPEN_PATHS = ("/health",)


async def _redactor_built(app: Any, loop: Any) -> None:
    """Build the redactor before the server answers: built on the first handover or rating comment instead,
    it took seconds of the one event loop while every other user's action waited (seen under load).

    spaCy's thinc imports TensorFlow whenever it can (400 MB, 4 s); nothing in this process uses it, so
    it is marked as absent first, and the redactor costs about 60 MB.
    """
    import sys

    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]  # None: "import tensorflow" fails
    from bot.privacy.redaction import get_redactor

    get_redactor()


async def _code_loaded(app: Any, loop: Any) -> None:
    from bot.rasa_adapter.speedups import freeze_loaded_objects

    freeze_loaded_objects()


def create_app(*args: Any, **kwargs: Any) -> Any:
    """rasa_sdk's app: only Rasa, with the shared secret, may run actions; it freezes what it loaded at start."""
    from sanic.response import json as json_response

    from bot.languages.current import set_language
    from bot.settings import get_settings

    secret = get_settings().action_server_secret
    app = rasa_sdk_create_app(*args, **kwargs)

    async def require_secret(request: Any) -> Any:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return json_response({"error": "Ingen tilgang."}, status=401)
        return None

    async def speak_the_conversations_language(request: Any) -> None:
        set_language(conversation_language(request.json if request.method == "POST" else None))

    app.register_middleware(require_secret, "request")
    app.register_middleware(speak_the_conversations_language, "request")
    app.register_listener(_redactor_built, "before_server_start")
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
