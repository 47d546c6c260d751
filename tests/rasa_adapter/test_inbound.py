from __future__ import annotations

import json

import pytest

from bot.rasa_adapter.inbound import MAX_BODY_BYTES, InvalidMessage, clean_text, parse_body


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def test_a_normal_message():
    message = parse_body(body(sender="abc-123", message="  Hei  ", metadata={"k": 1}))

    assert (message.sender, message.text, message.metadata) == ("abc-123", "Hei", {"k": 1})
    assert not message.is_empty


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x01", None])
def test_nothing_readable_is_an_empty_message(text: object):
    assert parse_body(body(sender="a", message=text)).is_empty


def test_numbers_are_accepted_as_text():
    assert parse_body(body(sender=42, message=3)).text == "3"
    assert parse_body(body(sender=42, message=3)).sender == "42"


def test_emoji_and_norwegian_letters_are_kept():
    assert parse_body(body(sender="a", message="😀 ærlig øl på å")).text == "😀 ærlig øl på å"


def test_control_characters_are_removed_but_line_breaks_kept():
    assert clean_text("hei\x00 du\u200b\nder") == "hei du\nder"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff\xfe\x00garbage", "UTF-8 JSON"),
        (b"not json", "UTF-8 JSON"),
        (b"[1, 2]", "JSON object"),
        (body(message="hei"), "'sender'"),
        (body(sender="", message="hei"), "'sender'"),
        (body(sender="a b", message="hei"), "'sender'"),
        (body(sender="x" * 129, message="hei"), "'sender'"),
        (body(sender=True, message="hei"), "'sender'"),
        (body(sender="a"), "'message' is missing"),
        (body(sender="a", message=["hei"]), "'message' must be a string"),
        (body(sender="a", message="hei", metadata="x"), "'metadata'"),
        (b"{" + b" " * MAX_BODY_BYTES + b"}", "larger than"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(raw: bytes, reason: str):
    with pytest.raises(InvalidMessage, match=reason):
        parse_body(raw)
