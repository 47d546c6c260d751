"""Veivalg's actions run inside the Rasa server (`VEIVALG_ACTIONS=in-process`), as Rasa 3.8 runs an `actions_module`.

Each action call to the action server costs an HTTP round trip: Rasa writes the state as JSON, the action
server's web framework reads it, rasa_sdk runs the action, and the answer goes back the same way. Measured
under load, the Rasa server spends as much per turn as bare Rasa, and the hop (about 4 ms of the action
server's CPU a turn, and its queue) is most of what a Veivalg turn costs more. In process, rasa_sdk's own
executor gets the same request Rasa would have sent (`in-process://actions` in endpoints.yml) and its answer
goes through Rasa's own checks: the same events, the same texts, the conversation's language the same way.
"""

from __future__ import annotations

import importlib
import json
import logging
from functools import lru_cache
from typing import Any

from bot.rasa_adapter.originals import ORIGINALS
from bot.settings import IN_PROCESS_ACTIONS_URL as IN_PROCESS_URL

logger = logging.getLogger(__name__)
ACTIONS_PACKAGE = "actions"


@lru_cache(maxsize=1)
def executor() -> Any:
    """rasa_sdk's executor with every action of the `actions` package (loaded once, at the server's start)."""
    from rasa_sdk.executor import ActionExecutor

    importlib.import_module(ACTIONS_PACKAGE)  # fails loudly when the server does not run from the project
    found = ActionExecutor()
    found.register_package(ACTIONS_PACKAGE)
    logger.info("%d actions run inside the Rasa server", len(found.actions))
    return found


def copied(value: Any) -> Any:
    """A copy that shares nothing with the original, as the trip through JSON gave."""
    return json.loads(json.dumps(value))


async def run(action_call: dict[str, Any]) -> dict[str, Any]:
    """What the action server answers to `action_call`; Rasa's errors where it would answer 400 or 404."""
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException
    from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection
    from rasa_sdk.interfaces import ActionNotFoundException

    from bot.languages.current import speaking
    from bot.rasa_adapter.action_calls import conversation_language

    call = copied(action_call)
    name = str(call.get("next_action"))
    try:
        with speaking(conversation_language(call)):  # as the action server's middleware does
            result = await executor().run(call)
    except SdkRejection as exc:  # the action server's 400: Rasa lets the next policy choose
        raise ActionExecutionRejection(exc.action_name, exc.message) from exc
    except ActionNotFoundException as exc:  # the action server's 404
        raise RasaException(f"Failed to execute custom action '{name}': no such action") from exc
    answer: dict[str, Any] = copied(result) if result else {"events": [], "responses": []}
    return answer


async def request(self: Any, method: str = "post", subpath: str | None = None,
                  content_type: str | None = "application/json", compress: bool = False, **kwargs: Any) -> Any:
    """`EndpointConfig.request`: an action call to `in-process://actions` is run here, everything else as Rasa does."""
    from rasa.utils.endpoints import EndpointConfig

    if self.url == IN_PROCESS_URL:
        return await run(kwargs.get("json") or {})
    return await ORIGINALS[(EndpointConfig, "request")](self, method, subpath, content_type, compress, **kwargs)
