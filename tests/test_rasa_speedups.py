"""The prepared validator accepts what Rasa accepts and refuses what Rasa refuses."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups
from bot.channels.rest import VeivalgRestInput


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
