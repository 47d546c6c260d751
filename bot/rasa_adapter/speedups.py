"""Changes to Rasa 3.6 inside the Rasa server that keep its behaviour and remove work it repeats.

- Rasa checks every action-server answer with `jsonschema.validate(result, schema)`, which checks the
  schema itself and builds a new validator each time: about 26 ms per action on our machine, several
  times per turn. One prepared validator does the same check in about 1 ms.
- Rasa finds an event's class by walking every subclass of `Event`, for every event it reads: 0.1 ms
  per event, 120 ms to read a conversation of 1 250 events. A table does it at once.
- Rasa rebuilds the dialogue history (applied events, the policies' states) from the start of the
  session several times per turn; `bot/rasa_adapter/dialogue_history.py` carries it forward with the same results.
- Rasa sends the action server every event of the conversation with every action call (0.5 MB at
  turn 100), and the whole domain. Veivalg's actions read only the slots, the latest message and the
  active form (`tests/test_rasa_speedups.py` checks that no action reads the history), and rasa_sdk's
  forms read only the events of the current turn. So only the events of the latest
  `VEIVALG_ACTION_HISTORY_TURNS` user messages are sent (0: all), and the domain only to the actions
  that ask for it in `domain.yml` (`send_domain: true`, with `enable_selective_domain` in the endpoints).
- Rasa writes each request to the action server (the state and the latest turns' events) with the standard
  library's `json.dumps`; ujson (already one of Rasa's dependencies) writes the same JSON in a fraction of the
  time (3.5 % of the Rasa server's samples at 50 users before).
- With `VEIVALG_ACTIONS=in-process` the actions run inside the Rasa server, without the HTTP round trip
  (`bot/rasa_adapter/actions_in_process.py`).
- RulePolicy writes every state of the conversation into a text for its debug log at every prediction,
  also when nothing is logged at debug level; it now does so only when the text will be logged.
- Rasa loads each neural model (DIET, TED) by training it on one example first, "to build weights of the
  correct size", then loading the trained weights over them: tracing the training step with its gradients
  is most of a cold start (about 40 of 60 s). For a server that only predicts, the weights are restored
  as the prediction step creates them (TensorFlow's deferred restore) and the training-only parts (the
  optimizer's state) are never built: the same predictions to the last digit (`bench/model_load.py`
  checks that), in about a third of the time.
- A button's payload («/affirm», «/choose_knapp{"knapp": "meg"}») is answered by the NLU graph's last
  step alone (RegexMessageHandler), which throws away what every earlier step found; Rasa still runs the
  whole pipeline (spaCy, DIET, the safety net) first. The payload is now unpacked the same way without it.
- TED's next-action predictions are remembered by the dialogue states they depend on
  (`bot/rasa_adapter/ted_cache.py`).
- After the model is loaded, the objects it made (about a million) are moved out of the garbage
  collector's way (`gc.freeze`): otherwise a full collection now and then stalls a turn for about a second.
"""

from __future__ import annotations

import gc
import json
import logging
from functools import lru_cache
from typing import Any

from bot.rasa_adapter.originals import ORIGINALS

logger = logging.getLogger(__name__)
_applied = False
_EVENT_CLASSES: dict[str, Any] = {}
PAYLOAD_EXTRACTOR = "RegexMessageHandler"  # the name Rasa's last NLU step gives the entities of a payload


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    return validators.validator_for(schema)(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    from jsonschema import ValidationError

    try:
        _validator().validate(result)
    except ValidationError as error:
        error.message += ". Failed to validate Action server response from API."
        raise
    return True


def _resolve_event_type(type_name: str, default: Any = None) -> Any:
    """`Event.resolve_by_type` with a table of the classes already found."""
    found = _EVENT_CLASSES.get(type_name)
    if found is not None:
        return found
    from rasa.shared.core.events import Event

    rasa_resolve = ORIGINALS[(Event, "resolve_by_type")].__func__  # Rasa's own, a staticmethod
    found = rasa_resolve(type_name, default)
    if found is not None and found is not default:
        _EVENT_CLASSES[type_name] = found
    return found


def recent_events(tracker: Any, user_turns: int) -> list[Any]:
    """The events since the `user_turns`-th latest user message (all of them when user_turns is 0)."""
    from rasa.shared.core.events import UserUttered

    if user_turns <= 0:
        return list(tracker.events)
    picked = []
    seen = 0
    for event in reversed(tracker.events):
        picked.append(event)
        if isinstance(event, UserUttered):
            seen += 1
            if seen >= user_turns:
                break
    picked.reverse()
    return picked


def _action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
    """Rasa's request to the action server, with the latest turns of the history instead of all of it."""
    import rasa
    from rasa.shared.core.trackers import EventVerbosity

    from bot.settings import get_settings

    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in recent_events(tracker, get_settings().action_history_turns)]
    result = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state, "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


def json_text(value: Any) -> str:
    """`json.dumps(value)` written by ujson; the standard library's where ujson refuses (NaN, odd types)."""
    import ujson

    try:
        return str(ujson.dumps(value, ensure_ascii=False, escape_forward_slashes=False))
    except (TypeError, OverflowError, ValueError):
        return json.dumps(value)


def _session_writing_json_fast(self: Any) -> Any:
    """Rasa's `EndpointConfig.session`, with request bodies written by `json_text`."""
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
    return aiohttp.ClientSession(
        headers=self.headers, auth=auth, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        json_serialize=json_text,
    )


def _format_states_when_logged(states: list[dict[str, Any]]) -> str:
    """`Policy.format_tracker_states` for RulePolicy's debug log, made only when that log is written."""
    from rasa.core.policies.policy import Policy

    if not logging.getLogger("rasa.core.policies.rule_policy").isEnabledFor(logging.DEBUG):
        return ""
    formatted: str = Policy.format_tracker_states(states)  # Rasa's own; only RulePolicy's is replaced
    return formatted


def _parse_payload_without_pipeline(
    self: Any, message: Any, tracker: Any, only_output_properties: bool = True
) -> dict[str, Any]:
    """`MessageProcessor._parse_message_with_graph`, with a valid payload unpacked as its last step would."""
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
    from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    text = message.text or ""
    if text.strip().startswith("/"):
        given = Message(data={TEXT: text})
        unpacked = YAMLStoryReader.unpack_regex_message(given, self.domain, entity_extractor_name=PAYLOAD_EXTRACTOR)
        if unpacked is not given:
            parse_data: dict[str, Any] = {
                TEXT: "", INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, ENTITIES: []}
            parse_data.update(unpacked.as_dict(only_output_properties=only_output_properties))
            return parse_data
    from rasa.core.processor import MessageProcessor

    rasa_parse = ORIGINALS[(MessageProcessor, "_parse_message_with_graph")]
    result: dict[str, Any] = rasa_parse(self, message, tracker, only_output_properties)
    return result


def _load_for_prediction(
    cls: Any, model_file_name: str, model_data_example: Any, predict_data_example: Any = None,
    finetune_mode: bool = False, *args: Any, **kwargs: Any,
) -> Any:
    """`RasaModel.load` for a model that only predicts: no training step on an example first."""
    from rasa.utils.tensorflow.models import RasaModel

    if finetune_mode or predict_data_example is None:
        rasa_load = ORIGINALS[(RasaModel, "load")].__func__  # Rasa's own, a classmethod
        return rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                         *args, **kwargs)
    import tensorflow as tf

    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)),
                  run_eagerly=config.get("run_eagerly"))
    # Restored as the prediction step below creates each weight; the optimizer's are never created.
    model.load_weights(model_file_name).expect_partial()
    model.run_inference(predict_data_example)  # as Rasa does after loading: the first prediction traces
    return model


def apply_to_model_loading() -> None:
    """Load the neural models for prediction only (once; before the model is loaded)."""
    from rasa.utils.tensorflow.models import RasaModel

    if (RasaModel, "load") not in ORIGINALS:
        ORIGINALS[(RasaModel, "load")] = _own_attribute(RasaModel, "load")
        RasaModel.load = classmethod(_load_for_prediction)


def freeze_loaded_objects() -> None:
    """Keep what exists now (the loaded model) out of every future garbage collection."""
    gc.collect()
    gc.freeze()
    logger.info("%d objects of the loaded model are left out of garbage collection", gc.get_freeze_count())


def _own_attribute(owner: type, name: str) -> Any:
    """The attribute as the class has it, looked up through its bases (RulePolicy inherits one of them)."""
    for klass in owner.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    raise AttributeError(name)


def apply() -> None:
    """Install the changes (once; Veivalg's REST channel does it when Rasa creates the channel)."""
    global _applied
    if _applied:
        return
    from rasa.core.actions.action import RemoteAction
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.policies.ted_policy import TEDPolicy
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.rasa_adapter import actions_in_process, dialogue_history, ted_cache
    changes: list[tuple[type, str, Any]] = [
        (RemoteAction, "_validate_action_result", _validate_action_result),
        (RemoteAction, "_action_call_format", _action_call_format),
        (EndpointConfig, "session", _session_writing_json_fast),
        (EndpointConfig, "request", actions_in_process.request),
        (Event, "resolve_by_type", staticmethod(_resolve_event_type)),
        (DialogueStateTracker, "applied_events", dialogue_history.applied_events),
        (Domain, "states_for_tracker_history", dialogue_history.states_for_tracker_history),
        (RulePolicy, "format_tracker_states", staticmethod(_format_states_when_logged)),
        (MessageProcessor, "_parse_message_with_graph", _parse_payload_without_pipeline),
        (TEDPolicy, "predict_action_probabilities", ted_cache.predict_action_probabilities),
    ]
    for owner, name, replacement in changes:
        ORIGINALS[(owner, name)] = _own_attribute(owner, name)
        setattr(owner, name, replacement)
    apply_to_model_loading()
    _applied = True
