"""Property-based fuzzing of what users and clients send: channel input, the resolver, the web API."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalogue.resolver import Resolver
from bot.rasa_adapter.inbound import InboundMessage, InvalidMessage, parse_body
from bot.settings import load_settings
from bot.web.app import create_app

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_message_or_a_clean_refusal(raw: bytes):
    try:
        message = parse_body(raw)
    except InvalidMessage:
        return
    assert isinstance(message, InboundMessage)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["sender", "message", "metadata", "x"]), JSON_VALUES, max_size=4))
def test_any_json_object_is_a_message_or_a_clean_refusal(body: dict):
    try:
        message = parse_body(json.dumps(body).encode())
    except InvalidMessage:
        return
    assert isinstance(message.text, str) and isinstance(message.sender, str)


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    names = [("tømrer", "tomrer"), ("snekker", "tomrer"), ("rørlegger", "rorlegger"), ("kokk", "kokk"),
             ("bilmekaniker", "bilmekaniker"), ("anleggsmaskinfører", "anleggsmaskinforer"), ("welder", "sveiser"),
             ("sveiser", "sveiser"), ("helsefagarbeider", "helsefagarbeider")]
    return Resolver(names)


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_the_resolver_never_fails_and_only_names_known_occupations(resolver: Resolver, text: str):
    known = {slug for slugs in resolver.keys.values() for slug in slugs}
    for result in (resolver.resolve(text), resolver.find_in_text(text)):
        assert result.slug is None or result.slug in known
        assert set(result.candidates) <= known and set(result.suggestions) <= known


def _app():
    app_settings = load_settings({
        "VEIVALG_HOME": "/tmp/veivalg-fuzz", "VEIVALG_SECRET_KEY": "f" * 40,
        "VEIVALG_RASA_PORT": "9",  # nothing listens: the gateway must still answer kindly
        "VEIVALG_DATABASE_URL": "sqlite:////tmp/veivalg-fuzz/veivalg.db",
        "VEIVALG_TRACKER_STORE_URL": "sqlite:////tmp/veivalg-fuzz/tracker.db",
    })
    return create_app(app_settings)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_web_api_never_answers_with_a_server_error(case):
    response = case.call()
    assert response.status_code < 500 or response.status_code == 503, (case.path, response.status_code)
