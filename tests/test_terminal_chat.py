from __future__ import annotations

from bot.terminal_chat import render


def test_render_wraps_text_and_numbers_buttons():
    lines = render(
        [
            {"text": "Hei! " + "Dette er en lang setning. " * 5},
            {"text": "Vil du snakke om noe mer?", "buttons": [
                {"title": "Ja, vis valgene", "payload": "/ask_help"},
                {"title": "Nei, ha det", "payload": "/goodbye"},
            ]},
        ],
        width=40,
    )

    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("Veivalg: Hei!")
    assert lines[-2:] == ["   1) Ja, vis valgene", "   2) Nei, ha det"]


def test_line_breaks_in_a_message_are_kept():
    lines = render([{"text": "Veien til kokk:\n1. Vg1 Restaurant- og matfag.\n2. Vg2 Kokk- og servitørfag."}], width=60)

    assert lines == ["Veivalg: Veien til kokk:", "  1. Vg1 Restaurant- og matfag.", "  2. Vg2 Kokk- og servitørfag."]
