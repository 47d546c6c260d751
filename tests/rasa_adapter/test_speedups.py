"""The prepared validator accepts what Rasa accepts and refuses what Rasa refuses."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot.rasa_adapter import speedups as rasa_speedups
from bot.rasa_adapter.channel import VeivalgRestInput


def test_the_channel_installs_the_faster_check():
    VeivalgRestInput.from_credentials(None)

    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result


@pytest.mark.parametrize(
    "result",
    [{"events": [], "responses": []},
     {"events": [{"event": "slot", "name": "x", "value": 1}], "responses": [{"text": "hei"}]}],
)
def test_valid_answers_pass(result):
    rasa_speedups.apply()
    assert RemoteAction("action_x", None)._validate_action_result(result) is True


@pytest.mark.parametrize("result", [{"events": "nope"}, {"events": [{"no_event_key": 1}]}])
def test_invalid_answers_are_refused(result):
    rasa_speedups.apply()
    with pytest.raises(ValidationError):
        RemoteAction("action_x", None)._validate_action_result(result)


# --- event classes -------------------------------------------------------------------------------

import ast  # noqa: E402

from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.shared.utils.common import all_subclasses  # noqa: E402
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig  # noqa: E402

from bot.paths import PROJECT_ROOT  # noqa: E402

ROOT = PROJECT_ROOT
DOMAIN = Domain.from_path(str(ROOT / "domain.yml"))


def test_every_event_type_resolves_to_the_class_rasa_finds():
    rasa_speedups.apply()
    original = rasa_speedups.ORIGINALS[(Event, "resolve_by_type")].__func__
    for cls in all_subclasses(Event):
        if isinstance(getattr(cls, "type_name", None), str):
            assert Event.resolve_by_type(cls.type_name) is original(cls.type_name, None)


def test_unknown_event_types_behave_as_in_rasa():
    rasa_speedups.apply()
    with pytest.raises(ValueError):
        Event.resolve_by_type("not_an_event")
    assert Event.resolve_by_type("not_an_event", BotUttered) is BotUttered
    assert Event.resolve_by_type("topic") is None


# --- what the action server is sent ---------------------------------------------------------------


def conversation(turns: int) -> DialogueStateTracker:
    tracker = DialogueStateTracker("s", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    for n in range(turns):
        tracker.update(UserUttered(f"melding {n}", intent={"name": "affirm", "confidence": 1.0}))
        tracker.update(SlotSet("retention_days", n))
        tracker.update(BotUttered(f"svar {n}"))
        tracker.update(ActionExecuted("action_listen"))
    return tracker


def test_recent_events_start_at_the_chosen_user_message():
    tracker = conversation(8)

    recent = rasa_speedups.recent_events(tracker, 3)

    assert recent[0].text == "melding 5" and recent[-1] is tracker.events[-1]
    assert rasa_speedups.recent_events(tracker, 0) == list(tracker.events)
    assert rasa_speedups.recent_events(tracker, 100) == list(tracker.events)


def call_format(action: str, tracker: DialogueStateTracker, selective: bool = True) -> dict:
    rasa_speedups.apply()
    endpoint = EndpointConfig(url="http://127.0.0.1:1/webhook", enable_selective_domain=selective)
    return RemoteAction(action, endpoint)._action_call_format(tracker, DOMAIN)


def test_the_action_server_gets_the_latest_turns_and_the_whole_state(monkeypatch):
    monkeypatch.setenv("VEIVALG_ACTION_HISTORY_TURNS", "2")
    tracker = conversation(8)

    sent = call_format("action_show_plan", tracker)

    texts = [e.get("text") for e in sent["tracker"]["events"] if e["event"] == "user"]
    assert texts == ["melding 6", "melding 7"]
    assert sent["tracker"]["slots"] == tracker.current_slot_values()
    assert sent["tracker"]["latest_message"]["text"] == "melding 7"
    assert sent["tracker"]["latest_event_time"] == tracker.events[-1].timestamp
    whole = tracker.current_state()
    assert {k: v for k, v in sent["tracker"].items() if k != "events"} == {
        k: v for k, v in whole.items() if k != "events"
    }


def test_with_zero_turns_the_action_server_gets_every_event(monkeypatch):
    monkeypatch.setenv("VEIVALG_ACTION_HISTORY_TURNS", "0")
    tracker = conversation(8)

    assert len(call_format("action_show_plan", tracker)["tracker"]["events"]) == len(tracker.events)


def test_only_the_form_validators_get_the_domain():
    tracker = conversation(1)

    assert "domain" not in call_format("action_show_plan", tracker)
    assert call_format("validate_knapp_form", tracker)["domain"]["forms"]
    assert "domain" in call_format("action_show_plan", tracker, selective=False)


@pytest.mark.parametrize("selective", [True, False])
def test_the_action_servers_request_is_the_json_the_standard_library_writes(selective):
    payload = call_format("validate_knapp_form", conversation(8), selective=selective)
    payload["tracker"]["slots"]["note"] = "æøå / «sitat» \u2028 \U0001f600"

    written = rasa_speedups.json_text(payload)

    assert json.loads(written) == json.loads(json.dumps(payload)) == payload
    assert "æøå" in written


@pytest.mark.parametrize("value", [{"confidence": float("nan")}, {"n": 10**40}, {"when": (1, 2)}])
def test_what_ujson_refuses_or_writes_differently_the_standard_library_writes(value):
    assert rasa_speedups.json_text(value) == json.dumps(value) or json.loads(
        rasa_speedups.json_text(value)
    ) == json.loads(json.dumps(value))


async def test_requests_to_endpoints_are_written_with_the_fast_json():
    rasa_speedups.apply()
    endpoint = EndpointConfig(url="http://127.0.0.1:1/webhook", basic_auth={"username": "u", "password": "p"})

    async with endpoint.session() as session:
        assert session._json_serialize is rasa_speedups.json_text
        assert session.auth is not None and session.auth.login == "u"
        assert session.timeout.total == DEFAULT_REQUEST_TIMEOUT


def test_every_form_validator_asks_for_the_domain():
    validators = {a for a in DOMAIN.user_actions if a.startswith("validate_")}
    assert validators and all(DOMAIN.does_custom_action_explicitly_need_domain(a) for a in validators)


# What Veivalg's actions may read of rasa_sdk's Tracker: the state, never the history of events.
TRACKER_STATE = {
    "get_slot", "current_slot_values", "latest_message", "sender_id", "get_latest_input_channel",
    "active_loop", "active_loop_name", "get_intent_of_latest_message", "slots", "followup_action",
    "is_paused", "latest_action_name", "get_latest_entity_values", "slots_to_validate",
}


def test_actions_read_no_history_only_the_state_the_action_server_always_gets():
    """The latest turns are enough only while no action looks further back; this keeps that true."""
    used = set()
    for path in sorted((ROOT / "actions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "tracker":
                used.add((path.name, node.attr))
    assert used, "found no use of the tracker at all: the check would be empty"
    assert {attr for _, attr in used} <= TRACKER_STATE, sorted(u for u in used if u[1] not in TRACKER_STATE)
    # bot/ never sees rasa_sdk's Tracker: actions hand it values, not the tracker. Only the two ways of
    # running actions (the action server, and inside the Rasa server) import rasa_sdk.
    for path in (ROOT / "bot").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = [
            n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("rasa_sdk")
        ]
        assert not imports or path.name in {"action_server.py", "actions_in_process.py"}, path


def test_freezing_keeps_existing_objects_out_of_collection():
    import gc

    try:
        rasa_speedups.freeze_loaded_objects()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_rule_policy_writes_the_states_for_its_debug_log_only_when_that_log_is_written():
    import logging

    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RulePolicy

    rasa_speedups.apply()
    states = [{"user": {"intent": "affirm"}, "prev_action": {"action_name": "action_listen"}}]
    logger = logging.getLogger("rasa.core.policies.rule_policy")
    level = logger.level
    try:
        logger.setLevel(logging.DEBUG)
        assert RulePolicy.format_tracker_states(states) == Policy.format_tracker_states(states) != ""
        logger.setLevel(logging.WARNING)
        assert RulePolicy.format_tracker_states(states) == ""
    finally:
        logger.setLevel(level)


# --- button payloads ------------------------------------------------------------------------------

from rasa.core.channels.channel import UserMessage  # noqa: E402
from rasa.core.processor import MessageProcessor  # noqa: E402


@pytest.fixture
def pipeline_calls(monkeypatch) -> list[str]:
    """Rasa's own graph run, replaced: records the texts it was asked to parse."""
    rasa_speedups.apply()
    calls: list[str] = []

    def whole_pipeline(self: Any, message: Any, tracker: Any, only_output_properties: bool = True) -> dict:
        calls.append(message.text)
        return {"text": message.text, "intent": {"name": "from_the_pipeline", "confidence": 0.5}, "entities": []}

    monkeypatch.setitem(rasa_speedups.ORIGINALS, (MessageProcessor, "_parse_message_with_graph"), whole_pipeline)
    return calls


def parse(text: str) -> dict:
    processor = SimpleNamespace(domain=DOMAIN)
    return MessageProcessor._parse_message_with_graph(processor, UserMessage(text), None)


def test_a_payload_is_unpacked_as_rasas_last_nlu_step_does_without_the_pipeline(pipeline_calls):
    assert parse("/affirm") == {
        "text": "/affirm", "intent": {"name": "affirm", "confidence": 1.0},
        "intent_ranking": [{"name": "affirm", "confidence": 1.0}], "entities": [],
    }
    assert parse('/ask_occupation_info{"occupation": "kokk"}')["entities"] == [
        {"entity": "occupation", "value": "kokk", "start": 20, "end": 42, "extractor": "RegexMessageHandler"}]
    assert parse("/affirm@0.4")["intent"] == {"name": "affirm", "confidence": 0.4}
    assert pipeline_calls == []


@pytest.mark.parametrize("text", ["hei", "/no_such_intent", "/ hei", "ja /affirm"])
def test_text_and_unknown_payloads_go_through_the_whole_pipeline(pipeline_calls, text):
    assert parse(text)["intent"]["name"] == "from_the_pipeline"
    assert pipeline_calls == [text]
