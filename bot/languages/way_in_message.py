"""The message a speaker of one of the ten languages gets: their way in, with the three ways on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.languages.way_in import way_ins

ENGLISH_PAYLOAD = '/set_language{"language":"en"}'
NORWEGIAN_PAYLOAD = '/set_language{"language":"nb"}'
COUNSELLOR_PAYLOAD = "/request_human"


@dataclass(frozen=True)
class WayInMessage:
    """Two texts in the user's language (who Veivalg is; where to turn at once) and three buttons."""

    texts: tuple[str, str]
    buttons: tuple[dict[str, str], ...]


def way_in_message(code: str) -> WayInMessage | None:
    """The way in for a language code of the ten, or None for any other code."""
    way_in = way_ins().get(code)
    if way_in is None:
        return None
    buttons = (
        {"title": way_in.english, "payload": ENGLISH_PAYLOAD},
        {"title": way_in.norsk, "payload": NORWEGIAN_PAYLOAD},
        {"title": way_in.counsellor, "payload": COUNSELLOR_PAYLOAD},
    )
    return WayInMessage(texts=(way_in.welcome, way_in.crisis), buttons=buttons)
