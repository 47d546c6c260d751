"""Words that say a transition is coming: release, open prison, electronic tagging, getting out."""

from __future__ import annotations

import re

from bot.text.folding import fold

_TRANSITION = re.compile(
    r"\b(slipp(er|e)? ut|sleppe?r? ut|kommer ut|kjem ut|kjemm ut|(er|e) ute|blir ut|lauslat\w*|loslat\w*|"
    r"prove ?loslat\w*|apen soning|fotlenke|overgangsbolig|etter soning|ferdig sona|ferdig sonet|"
    r"get out|released?|release date|open prison|ankle monitor)\b"
)


def mentions_transition(text: str | None) -> bool:
    """True when the message speaks of getting out, release, open prison or electronic tagging."""
    return bool(text) and not str(text).startswith("/") and bool(_TRANSITION.search(fold(str(text))))
