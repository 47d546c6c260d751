from __future__ import annotations

import time

import pytest
from itsdangerous import URLSafeTimedSerializer

from bot.web.chat.tokens import SALT, InvalidToken, TokenSigner, client_of, new_conversation_id

SECRET = "a-secret-key-that-is-long-enough-for-tests"


def test_conversation_ids_are_random_with_a_prefix_per_client():
    widget, terminal = new_conversation_id("widget"), new_conversation_id("terminal")

    assert widget.startswith("w-") and terminal.startswith("t-")
    assert new_conversation_id() != new_conversation_id()
    assert client_of(widget) == "widget" and client_of(terminal) == "terminal"
    with pytest.raises(ValueError):
        new_conversation_id("browser")


def test_a_signed_token_gives_back_its_conversation_id():
    signer = TokenSigner(SECRET)
    conversation_id = new_conversation_id()

    assert signer.conversation_id(signer.sign(conversation_id)) == conversation_id


def test_a_token_signed_with_another_key_is_refused():
    forged = TokenSigner("another-secret-key-that-is-long-enough").sign(new_conversation_id())

    with pytest.raises(InvalidToken):
        TokenSigner(SECRET).conversation_id(forged)


def test_a_tampered_token_is_refused():
    signer = TokenSigner(SECRET)
    token = signer.sign(new_conversation_id())
    payload, timestamp, signature = token.split(".")
    other_payload = URLSafeTimedSerializer(SECRET, salt=SALT).dumps(new_conversation_id()).split(".")[0]

    for tampered in (
        f"{other_payload}.{timestamp}.{signature}",
        f"{payload}.{timestamp}.{signature[:-2]}xx",
        token + "a",
    ):
        with pytest.raises(InvalidToken):
            signer.conversation_id(tampered)


def test_a_bare_conversation_id_is_not_a_token():
    with pytest.raises(InvalidToken):
        TokenSigner(SECRET).conversation_id(new_conversation_id())


def test_an_expired_token_is_refused(monkeypatch):
    signer = TokenSigner(SECRET, max_age=12 * 3600)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now - 13 * 3600)
    old = signer.sign(new_conversation_id())
    monkeypatch.setattr(time, "time", lambda: now)

    with pytest.raises(InvalidToken):
        signer.conversation_id(old)


def test_a_signed_value_that_is_not_a_conversation_id_is_refused():
    signer = TokenSigner(SECRET)
    serializer = URLSafeTimedSerializer(SECRET, salt=SALT)

    for value in ("../../etc/passwd", {"id": "w-x"}, "x-" + "a" * 24):
        with pytest.raises(InvalidToken):
            signer.conversation_id(serializer.dumps(value))


@pytest.mark.parametrize("token", [None, "", 42, ["a"], "x" * 600])
def test_missing_or_odd_tokens_are_refused(token):
    with pytest.raises(InvalidToken):
        TokenSigner(SECRET).conversation_id(token)
