"""A message that only asks for a language («English please», «på norsk»): the user's choice, not a guess."""

from __future__ import annotations

import re

from bot.languages.detection import ENGLISH, NORWEGIAN
from bot.text.folding import fold

_POLITE = r"((hello|hi|hey|hei|sorry|ok|okay),? )?(please|pls|plz|takk|thanks|thank you|ok|okay|)"
_ENGLISH = re.compile(
    rf"^{_POLITE} ?(in |on |pa |på |speak |write |snakk |skriv |can (we|you) (speak|write|talk)( in)? |"
    rf"(do you|you) speak |i want |i prefer |switch to |change to |answer in |answer me in |bytt til )?"
    rf"(english|engelsk|eng|inglese|anglais|angielski)( language| version)?"
    rf"( please| pls| plz| takk| thanks)?$"
    r"|^(i|me) ?(do not|dont|don t|cant|can t|cannot|can not|no) (speak|understand|read|talk) (norwegian|norsk)"
    r"( (well|good|very well))?$"
    r"|^(jeg|eg|æ|e) (forstar|forstår|skjonner|skjønner|kan) ikke (norsk|so godt norsk|godt norsk)$"
    r"|^((hello|hi|hey|hei|ok|okay|sorry),? )?(can|could|may) (we|you|i) (please )?(do|have|write|speak|talk|chat|"
    r"continue|go on|use|get)( (this|it|that|the chat|the rest))? (in|on) english( please| pls)?$"
)
_NORWEGIAN = re.compile(
    rf"^{_POLITE} ?(in |on |pa |på |speak |write |snakk |skriv |skriv pa |skriv på |snakk pa |snakk på |"
    rf"can (we|you) (speak|write|talk)( in)? |i want |i prefer |switch to |change to |answer in |bytt til |"
    rf"back to )?(norsk|norwegian|bokmal|bokmål)"
    rf"( please| pls| plz| takk| thanks)?$"
)


def chosen_language(text: str | None) -> str | None:
    """The language a short request names, or None when the message is about something else."""
    if not text:
        return None
    folded = fold(text)
    if _ENGLISH.match(folded):
        return ENGLISH
    if _NORWEGIAN.match(folded):
        return NORWEGIAN
    return None
