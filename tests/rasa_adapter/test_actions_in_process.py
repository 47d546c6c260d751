"""Actions run inside the Rasa server answer exactly as the action server does, through Rasa's own checks."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import rasa
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot.paths import PROJECT_ROOT
from bot.rasa_adapter import actions_in_process
from bot.rasa_adapter import speedups as rasa_speedups
from bot.rasa_adapter.commands import ACTION_SECRET_HEADER
from bot.rasa_adapter.originals import ORIGINALS
from bot.settings import load_settings
from tests.conftest import FIXTURES
from tests.fixtures.servers import free_port, start_action_server

DOMAIN_PATH = PROJECT_ROOT / "domain.yml"


def action_call(action: str, fixture: str, **slots: Any) -> dict[str, Any]:
    """What Rasa sends the action server: a tracker from tests/fixtures/trackers and the whole domain."""
    state = json.loads((FIXTURES / "trackers" / f"{fixture}.json").read_text(encoding="utf-8"))
    state["slots"].update(slots)
    return {"next_action": action, "sender_id": state["sender_id"], "tracker": state,
            "domain": Domain.from_path(str(DOMAIN_PATH)).as_dict(), "version": rasa.__version__}


@pytest.fixture
def action_server(catalogue_db: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The real action server on the test's catalogue: its webhook and its secret."""
    port = free_port()
    log = tmp_path / "actions.log"
    env = dict(os.environ, VEIVALG_HOME=str(PROJECT_ROOT), VEIVALG_DATABASE_URL=catalogue_db)
    process = start_action_server(port, env, log)
    try:
        yield f"http://127.0.0.1:{port}/webhook", load_settings(env).action_server_secret
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("language", ["nb", "en"])
async def test_the_same_answer_as_the_action_server(action_server, language):
    webhook, secret = action_server
    call = action_call("action_occupation_question", "ask_tomrer_info", language=language)

    served = httpx.post(webhook, json=call, headers={ACTION_SECRET_HEADER: secret}, timeout=30)
    here = await actions_in_process.run(copy.deepcopy(call))

    assert served.status_code == 200, served.text
    assert here == served.json()
    texts = [r["text"] for r in here["responses"]]
    assert texts[-1] == ("What do you want to know more about?" if language == "en" else "Hva vil du vite mer om?")


async def test_the_call_is_not_changed_by_the_action(catalogue_db):
    call = action_call("action_occupation_question", "ask_tomrer_info")
    before = copy.deepcopy(call)
    await actions_in_process.run(call)
    assert call == before


async def test_rasa_runs_the_action_in_process_with_its_own_checks(catalogue_db):
    rasa_speedups.apply()
    domain = Domain.from_path(str(DOMAIN_PATH))
    tracker = DialogueStateTracker.from_dict("t1", action_call("x", "ask_tomrer_info")["tracker"]["events"],
                                             domain.slots)
    tracker._set_slot("occupation", "tomrer")
    action = RemoteAction("action_occupation_question", EndpointConfig(actions_in_process.IN_PROCESS_URL))

    events = await action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses),
                              tracker, domain)

    assert isinstance(events[0], BotUttered) and events[0].text.startswith("En tømrer bygger nye hus")
    assert SlotSet("occupation_slug", "tomrer") in events


async def test_a_rejection_reaches_rasa_as_the_action_servers_400_does(monkeypatch):
    from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection

    class Rejecting:
        def __call__(self, dispatcher: Any, tracker: Any, domain: Any) -> list[Any]:
            raise SdkRejection("validate_knapp_form", "not now")

    monkeypatch.setitem(actions_in_process.executor().actions, "validate_knapp_form", Rejecting())
    with pytest.raises(ActionExecutionRejection, match="not now"):
        await actions_in_process.run(action_call("validate_knapp_form", "knapp_in_progress"))


async def test_an_unknown_action_fails_as_with_the_action_server():
    with pytest.raises(RasaException, match="no_such_action"):
        await actions_in_process.run(action_call("no_such_action", "new_conversation"))


async def test_other_endpoints_are_called_as_rasa_calls_them(monkeypatch):
    rasa_speedups.apply()
    asked: list[tuple[str, Any]] = []

    async def over_http(self: Any, method: str = "post", subpath: Any = None, content_type: Any = None,
                        compress: bool = False, **kwargs: Any) -> Any:
        asked.append((self.url, kwargs.get("json")))
        return {"events": [], "responses": []}

    monkeypatch.setitem(ORIGINALS, (EndpointConfig, "request"), over_http)
    assert await EndpointConfig("http://127.0.0.1:5055/webhook").request(json={"a": 1}) == {"events": [],
                                                                                             "responses": []}
    assert asked == [("http://127.0.0.1:5055/webhook", {"a": 1})]


def test_every_action_is_found():
    names = set(actions_in_process.executor().actions)
    assert {"action_occupation_question", "validate_knapp_form", "action_request_handover"} <= names
