"""Find the occupation a user means: synonyms, inflections, nynorsk, missing æøå, typos, compounds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.text.folding import fold

# Endings of the last word, longest first: definite and plural forms in bokmål, nynorsk and speech.
_SUFFIXES = (
    "arane",
    "erane",
    "erne",
    "arne",
    "arar",
    "aren",
    "eren",
    "ane",
    "ene",
    "ere",
    "ern",
    "ar",
    "er",
    "en",
    "et",
    "ne",
    "e",
    "a",
    "n",
)
_NYNORSK = (("sjuke", "syke"), ("sjuk", "syk"), ("arbeidar", "arbeider"), ("ikkje", "ikke"))
_STOPWORDS = frozenset(
    [
        "hva",
        "gjor",
        "gjer",
        "en",
        "ei",
        "et",
        "eit",
        "jeg",
        "eg",
        "meg",
        "jobb",
        "jobbe",
        "jobbar",
        "yrke",
        "yrket",
        "som",
        "bli",
        "blir",
        "kan",
        "vil",
        "skal",
        "med",
        "for",
        "om",
        "til",
        "pa",
        "av",
        "og",
        "i",
        "er",
        "det",
        "den",
        "de",
        "du",
        "hvordan",
        "korleis",
        "kva",
        "ka",
        "hvilke",
        "kven",
        "hvem",
        "a",
        "at",
        "man",
        "noen",
        "noe",
        "mer",
        "har",
        "ha",
        "utdanning",
        "utdanningen",
        "fagbrev",
        "politiattest",
        "forskjell",
        "forskjellen",
        "mellom",
        "eller",
        "sammenlign",
        "dom",
        "hjelp",  # «hjelp meg» is a request, not the end of «kjøkkenhjelp»
    ]
)
EXACT, FUZZY_CUTOFF, SCAN_CUTOFF, MARGIN = 100.0, 84.0, 90.0, 4.0
MAX_CANDIDATES = 6
MAX_SUGGESTIONS = 3
SUGGESTION_CUTOFF = 72.0


def typo_of(mention: str, name: str) -> bool:
    """True when `mention` is `name` with a typo: a few letters swapped, missing, doubled or wrong, the start intact.

    A similar but different word is not a typo: «vaskeriarbeider» is not «bakeriarbeider», and «servicemedarbeider»
    is not «IKT-servicemedarbeider»; those are offered as «Mente du …?», never answered as the other occupation.
    """
    if mention[:2] != name[:2] or abs(len(mention) - len(name)) > 2:
        return False
    allowed = 1 if len(name) <= 10 else 2 if len(name) <= 16 else 3
    return DamerauLevenshtein.distance(mention, name) <= allowed


def _bokmal(mention: str) -> str:
    """The folded mention with common nynorsk spellings turned into bokmål."""
    base = fold(mention)
    for nynorsk, bokmal in _NYNORSK:
        base = re.sub(rf"\b{nynorsk}", bokmal, base)
    return base


def head_forms(mention: str) -> set[str]:
    """The mention as written (folded, bokmål), without guessing at inflections."""
    base = _bokmal(mention)
    forms = {base}
    if base.endswith("ar") and len(base) > 4:  # nynorsk agent nouns: elektrikar -> elektriker
        forms.add(base[:-2] + "er")
    return forms


def variants(mention: str) -> set[str]:
    """The folded mention, its compound form, and its last word without inflection endings."""
    base = _bokmal(mention)
    found = head_forms(mention)
    words = base.split()
    if not words:
        return set()
    stem, last = words[:-1], words[-1]
    for suffix in _SUFFIXES:
        if last.endswith(suffix) and len(last) - len(suffix) >= 3:
            root = last[: -len(suffix)]
            found.update({" ".join([*stem, root]), " ".join([*stem, root + "er"]), " ".join([*stem, root + "e"])})
    if last.endswith("ar") and len(last) > 4:  # nynorsk agent nouns: elektrikar -> elektriker
        found.add(" ".join([*stem, last[:-2] + "er"]))
    return found | {v.replace(" ", "") for v in found}


@dataclass(frozen=True)
class Resolution:
    """What the resolver found: one slug, several to choose from, or nothing."""

    slug: str | None = None
    candidates: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    score: float = 0.0

    @property
    def found(self) -> bool:
        return self.slug is not None

    @property
    def ambiguous(self) -> bool:
        return self.slug is None and len(self.candidates) > 1


@dataclass
class Resolver:
    """An index of every occupation name, built once from (name, slug) pairs."""

    names: Iterable[tuple[str, str]]
    keys: dict[str, set[str]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for name, slug in self.names:
            folded = fold(name)
            for key in (folded, folded.replace(" ", "")):
                self.keys.setdefault(key, set()).add(slug)
        self._choices = list(self.keys)
        # Compound heads: every proper ending of a one-word name, four letters or more.
        self._endings: dict[str, dict[str, int]] = {}
        for key, slugs in self.keys.items():
            if " " in key:
                continue
            for start in range(1, len(key) - 3):
                shortest = self._endings.setdefault(key[start:], {})
                for slug in slugs:
                    shortest[slug] = min(shortest.get(slug, 999), len(key))

    def resolve(self, mention: str) -> Resolution:
        """Resolve one mention, as an entity extractor or a button gives it."""
        forms = variants(mention)
        if not forms or max(len(f) for f in forms) < 3:
            return Resolution()
        exact = {slug for form in forms for slug in self.keys.get(form, ())}
        if len(exact) == 1:
            return Resolution(slug=next(iter(exact)), score=EXACT)
        if exact:
            return Resolution(candidates=tuple(sorted(exact)), score=EXACT)
        heads = self._heads(head_forms(mention))
        if len(heads) > 1:
            return Resolution(candidates=tuple(heads[:MAX_CANDIDATES]), score=EXACT)
        scores: dict[str, float] = {}
        close: set[str] = set()
        for form in forms:
            for key, score, _ in process.extract(form, self._choices, scorer=fuzz.ratio, limit=8, score_cutoff=60):
                for slug in self.keys[key]:
                    scores[slug] = max(scores.get(slug, 0.0), float(score))
                    if score >= FUZZY_CUTOFF and typo_of(form, key):
                        close.add(slug)
        if len(heads) == 1:  # one longer name ends with the mention: another occupation; offer it, never assume it
            scores[heads[0]] = max(scores.get(heads[0], 0.0), FUZZY_CUTOFF)
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        sure = [(slug, score) for slug, score in ranked if slug in close]
        if not sure:
            return Resolution(
                suggestions=tuple(s for s, v in ranked[:MAX_SUGGESTIONS] if v >= SUGGESTION_CUTOFF),
                score=ranked[0][1] if ranked else 0.0,
            )
        best = sure[0][1]
        near = tuple(slug for slug, score in sure if score >= best - MARGIN)
        if len(near) == 1:
            return Resolution(slug=near[0], score=best)
        return Resolution(candidates=near[:MAX_CANDIDATES], score=best)

    def _heads(self, forms: set[str]) -> list[str]:
        """Slugs whose name ends with the mention as a compound head ('mekaniker' in 'bilmekaniker'),
        those with the shortest such name first."""
        shortest: dict[str, int] = {}
        for form in forms:
            for slug, length in self._endings.get(form.replace(" ", ""), {}).items():
                shortest[slug] = min(shortest.get(slug, 999), length)
        return sorted(shortest, key=lambda slug: (shortest[slug], slug))

    def _driver(self, text: str) -> Resolution:
        """«kjøre lastebil», «kjøre taxi»: the one who drives it («lastebilsjåfør», «taxisjåfør», «truckfører»)."""
        found = _DRIVE.search(fold(text))
        if found is None:
            return Resolution()
        vehicle = found.group(1)
        for name in (vehicle + "sjafor", vehicle.rstrip("s") + "sjafor", vehicle + "forer", vehicle + "kjorer"):
            resolution = self.resolve(name)
            if resolution.found and resolution.score >= EXACT:
                return resolution
        return Resolution()

    def find_in_text(self, text: str) -> Resolution:
        """Look for an occupation anywhere in a sentence when the NLU found no entity."""
        driver = self._driver(text)
        if driver.found:
            return driver
        words = [w for w in fold(text).split() if w]
        best = Resolution()
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                chunk = words[start : start + size]
                if size == 1 and (chunk[0] in _STOPWORDS or len(chunk[0]) < 4):
                    continue
                if chunk[0] in _STOPWORDS or chunk[-1] in _STOPWORDS:
                    continue
                found = self.resolve(" ".join(chunk))
                if (found.found or found.ambiguous) and found.score >= SCAN_CUTOFF and _rank(found) > _rank(best):
                    best = found
            if best.found and best.score >= EXACT:
                return best
        return best


# «kjøre», folded, in the forms people write it; question_shapes uses it too.
DRIVE_VERB = r"(?:kjore|kjoyre|kjor|kjorer|kjoere|drive|driving)"
_DRIVE = re.compile(r"\b" + DRIVE_VERB + r"\s+(?:en\s+|ei\s+|a\s+)?([a-z]{3,})")


_OBJECT = re.compile(
    r"\b(?:gjor|gjer|driver|jobber|jobbar|er|om|bli|blir|verte|som|til|a|an|the|become|becoming|tjener|tjenar|tener)"
    r"\s+(?:jeg\s+|eg\s+|ae\s+|e\s+|du\s+|man\s+|i\s+)?(?:en\s+|ei\s+|et\s+|ein\s+|eit\s+|a\s+|an\s+)?"
    r"([a-z][a-z-]{2,})\s*$"
)


# Small words people put after the occupation: «ka gjør en astronaut egentlig», «hva gjør en kokk da».
_FILLER = re.compile(r"(?:\s+(?:da|egentlig|liksom|eller|then|though|again|igjen|takk|please))+\s*$")


def guess_mention(text: str) -> str | None:
    """The word a question is about when it names no known occupation: 'hva gjør en astronaut' -> 'astronaut'."""
    match = _OBJECT.search(_FILLER.sub("", fold(text)))
    if not match or match.group(1) in _STOPWORDS:
        return None
    return match.group(1)


def _rank(resolution: Resolution) -> tuple[float, bool]:
    """A sure single answer beats a choice between several at the same score."""
    return (resolution.score, resolution.found)
