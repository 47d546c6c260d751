"""The kiosk transcript: labels by author, in the language the bot writes in."""

from __future__ import annotations


def test_the_labels_follow_the_language_the_bot_writes_in():
    from bot.clients.terminal.transcript import plain_text, render

    messages = [
        {"seq": 1, "author": "bot", "author_label": "Veivalg", "text": "Hei!"},
        {"seq": 2, "author": "user", "author_label": "Du", "text": "hei"},
        {"seq": 3, "author": "bot", "author_label": "Veivalg", "text": "OK. I will write in English now.",
         "language": "en"},
        {"seq": 4, "author": "user", "author_label": "Du", "text": "thanks"},
        {"seq": 5, "author": "counsellor", "author_label": "Karriereveileder", "text": "Hello"},
    ]
    lines = [line for line in plain_text(render(messages, 80)) if line]
    assert lines[1] == "Du: hei"
    assert lines[3] == "You: thanks" and lines[4] == "Career counsellor: Hello"
