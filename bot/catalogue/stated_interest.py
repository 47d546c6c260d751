"""Listen first: an interest said in the user's own words, and the occupations whose work matches those words."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.catalogue.queries import all_occupations
from bot.storage.tables.catalogue import Occupation
from bot.text.folding import fold

LIKE, WANT, GOOD, DO = "like", "want", "good", "do"
# «jeg liker å …», «vil jobbe med …», «er god med …», «driv mykje med …», in bokmål, dialect, without æøå
# and in English. What follows is the interest, in the user's words.
_SHAPES = (
    (GOOD, re.compile(r"\b(?:er|e|i m|im|i am) (?:ganske |veldig |rimelig |skikkelig )?(?:god|flink|good|great) "
                      r"(?P<interest>(?:med|til|på|pa|i|at|with) .+)")),
    (WANT, re.compile(r"\b(?:vil|ville|ønsker å|onsker a|onsker å|drømmer om å|drommer om a|want to|wanna|"
                      r"would like to) (?P<interest>(?:jobbe|jobba|arbeide|arbeid|work|hjelpe|hjelpa|help|"
                      r"lage|laga|bygge|bygga|reparere|fikse|skrive|tegne|kjøre|kjore|drive|passe på|"
                      r"passe pa|undervise|selge|lære|laere) .+)")),
    (LIKE, re.compile(r"\b(?:har (?:alltid |lenge )?likt|liker|likar|lika|likte|elsker|digger|er glad i|"
                      r"e glad i|er interessert i|interessert i|interesserer meg for|i like|i love|i enjoy|"
                      r"love|into) (?:best |mest |veldig |godt )?(?P<interest>.+)")),
    (DO, re.compile(r"\b(?:driver|driv|holder|held|heldt) (?:på |pa )?(?:mye|mykje|masse|mest|ofte|mykkje)? ?"
                    r"(?:med|på|pa) (?P<interest>.+)")),
    (DO, re.compile(r"\b(?:fikser|reparerer|lager|lagar|bygger|tegner|skriver|trener) (?P<interest>.+)")),
)
# The interest ends where another thought begins.
_END = re.compile(r"[.,!?;:]| (?:som|men|fordi|når|nar|hvis|om jeg|og så|og sa|but|because|when|if|and then) ")
_NOT_AN_INTEREST = re.compile(
    r"^(?:å |a )?(?:deg|det|dette|den|du|noe|noen|ingenting|meg|dere|ikke|ikkje|itj|not|that|it|you)\b"
)
MAX_WORDS = 6
STOPWORDS = frozenset({
    "å", "a", "og", "i", "på", "pa", "med", "til", "for", "av", "en", "ei", "et", "som", "er", "jeg", "eg", "æ",
    "meg", "ting", "folk", "det", "den", "de", "dem", "the", "to", "with", "of", "and", "in", "at", "on", "best",
    "mest", "veldig", "godt", "hele", "heile", "dagen", "litt", "mye", "mykje", "masse", "noe", "noen", "alt", "her",
    "der", "ute", "inne", "jobbe", "jobba", "work", "arbeide", "arbeid", "good", "great",
})


@dataclass(frozen=True)
class StatedInterest:
    """What the user said they like, want or are good at, in their own words."""

    kind: str
    words: str


@dataclass(frozen=True)
class Match:
    """An occupation whose work shares words with the interest, and the line that shows why."""

    occupation: Occupation
    why: str


def stated_interest(text: str | None) -> StatedInterest | None:
    """The interest in a message such as «jeg liker å reparere motorsykler»; None when there is none."""
    if not text or text.startswith("/") or len(text) > 300:
        return None
    lowered = " ".join(text.lower().split())
    for kind, shape in _SHAPES:
        found = shape.search(lowered)
        if found is None:
            continue
        words = _END.split(found.group("interest"))[0].strip()
        words = " ".join(words.split()[:MAX_WORDS])
        if words and not _NOT_AN_INTEREST.match(words) and content_words(words):
            return StatedInterest(kind=kind, words=words)
    return None


def content_words(words: str) -> list[str]:
    """The words that carry the interest («motorsykler», «dyr»), folded, without small words."""
    return [w for w in re.findall(r"[a-z0-9]+", fold(words)) if len(w) >= 3 and w not in STOPWORDS]


def _forms(word: str) -> set[str]:
    """The word and its base without a common ending: «biler» also as «bil», «hendene» as «hend»."""
    forms = {word}
    for ending in ("ene", "ane", "er", "ar", "en", "e", "a"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            forms.add(word[: -len(ending)])
    return forms


def _needed(form: str) -> int:
    """How many first letters a word in the catalogue must share with `form` to count as the same word."""
    return len(form) if len(form) <= 4 else max(4, min(7, len(form) - 2))


def _shares(form: str, word: str) -> bool:
    need = _needed(form)
    return len(word) >= need and word[:need] == form[:need]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def _hits(forms: set[str], words: list[str]) -> bool:
    return any(_shares(form, word) for word in words for form in forms)


def _together(wanted: list[set[str]], words: list[str]) -> bool:
    """Two of the interest's words side by side in the catalogue's text too («lage mat», «lager mat»)."""
    return any(
        any(_shares(f, first) for f in wanted[i]) and any(_shares(f, second) for f in wanted[i + 1])
        for i in range(len(wanted) - 1)
        for first, second in itertools.pairwise(words)
    )


def matching_occupations(interest: StatedInterest, *, session: Session, limit: int = 3) -> list[Match]:
    """Occupations whose name, tasks or description share words with the interest, the most words first."""
    wanted = [_forms(w) for w in content_words(interest.words)]
    if not wanted:
        return []
    scored: list[tuple[int, str, Match]] = []
    for occupation in all_occupations(session=session):
        # Each text folded and split once per occupation, not once per word of the interest.
        names = _words(" ".join([str(occupation.title), *(str(n.name) for n in occupation.names)]))
        tasks = [(str(t), _words(str(t))) for t in occupation.tasks or []]
        other = _words(" ".join([str(occupation.description), *(str(d) for d in occupation.demands or [])]))
        covered, score, why = 0, 0, ""
        for forms in wanted:
            in_names = _hits(forms, names)
            task = next((t for t, words in tasks if _hits(forms, words)), None)
            if in_names or task is not None or _hits(forms, other):
                covered += 1
                score += 2 * in_names + (task is not None)
                why = why or (task or "")
        if covered:
            score += 2 * any(_together(wanted, words) for words in [names, *(w for _, w in tasks), other])
            first_task = tasks[0][0] if tasks else ""
            scored.append((3 * covered + score, str(occupation.title), Match(occupation, why or first_task)))
    scored.sort(key=lambda item: (-item[0], len(item[1]), item[1]))  # the plainer title first on a tie
    best = scored[0][0] if scored else 0
    return [match for score, _, match in scored[:limit] if 2 * score >= best]  # not far behind the best
