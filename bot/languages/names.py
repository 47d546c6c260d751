"""What counsellors and leaders read about a conversation's language, in Norwegian."""

from __future__ import annotations

from bot.languages.detection import ENGLISH, NORWEGIAN, WAY_IN
from bot.languages.way_in import way_ins


def name_nb(code: str | None) -> str:
    """«norsk», «engelsk», «polsk» …; an unknown code as it is."""
    if code in (None, "", NORWEGIAN):
        return "norsk"
    if code == ENGLISH:
        return "engelsk"
    way_in = way_ins().get(code)
    return way_in.name_nb if way_in is not None else code


def needs_interpreter(code: str | None) -> bool:
    """A language Veivalg does not speak: the counsellor should bring an interpreter."""
    return code in WAY_IN
