"""Person names: the spaCy NER when the pipeline has one, and name lists with the words around them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from bot.privacy.redaction.kinds import MARKERS, PERSON
from bot.privacy.redaction.lexicon import Lexicon

_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_MARKER = re.compile("|".join(re.escape(m) for m in MARKERS.values()))
# What ends a sentence; never a character that can sit inside a redacted number or address.
_SENTENCE_BREAK = re.compile(r"[.!?:;…](?=\s|$)|[\n\"«»]")
# What may stand between a trigger and the name, on the same line: «jeg heter: Ola», «kona mi, Aisha».
# (A greeting trigger takes the line break itself: «Hilsen\nKari».)
_TRIGGER_GAP = re.compile(r"[ \t,:\-–\"«»']*")
_MAX_CHAIN = 4
# «Lene her.» opens a message with a name; «Per Haug heter jeg» puts the name before the verb.
_HERE = re.compile(r"\s+her\s*[.!,:]", re.IGNORECASE)
# «dette er tom haugen»: after «det/dette er», a first name and a surname from the lists, even both words.
_PRESENTED = re.compile(r"\b(?:det|dette|her)\s+(?:er|e)\s+$", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"\s+(?:heter|heiter|hete|het)\s+(?:jeg|eg|æ|e|je)\b", re.IGNORECASE)
# How most Norwegian surnames end (SSB's list of the most common: Hansen, Johansen, Olsen, Kristiansen, …).
_SURNAME_ENDING = re.compile(r"(?:sen|ssen|son|sson|sdottir|stad|rud|heim|land|vik|dal)$")
_STRONG, _RELATION, _WEAK = "strong", "relation", "weak"


@dataclass
class _Token:
    start: int
    end: int
    text: str
    low: str
    capital: bool
    sentence_start: bool


class NameRecognizer(EntityRecognizer):
    """Names from the lists, names after «jeg heter», «hilsen», «broren min», and first+last name pairs."""

    def __init__(self, lexicon: Lexicon, language: str = "nb") -> None:
        self.lexicon = lexicon
        self.triggers = [
            (re.compile(p, re.IGNORECASE), strength)
            for patterns, strength in (
                (lexicon.strong_triggers, _STRONG),
                (lexicon.relation_triggers, _RELATION),
                (lexicon.weak_triggers, _WEAK),
            )
            for p in patterns
        ]
        self.name_before = [re.compile(p, re.IGNORECASE) for p in lexicon.name_before]
        super().__init__(supported_entities=[PERSON], supported_language=language, name="NorwegianNameRecognizer")

    def load(self) -> None:
        """The lists are loaded with the lexicon."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per word that is (part of) a name."""
        tokens = _tokenize(text)
        if not tokens:
            return []
        names: set[int] = set()
        for i, token in enumerate(tokens):
            if self._keep(token):
                continue
            if self._safe_name(token.low) or (
                self._ambiguous_first(token.low)
                and token.capital
                and (not token.sentence_start or any(p.match(text, token.end) for p in self.name_before))
            ):
                names.add(i)
        for i, token in enumerate(tokens):
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if (
                nxt is not None
                and self._ambiguous_first(token.low)
                and _adjacent(text, token, nxt)
                and (
                    (token.capital and self._surname_after_first(nxt, after_trigger=False))
                    or self._clear_surname(nxt.low)  # «per hansen», «FINN HANSEN», «else ellingsen»
                )
            ):
                names.update((i, i + 1))
            if (
                nxt is not None
                and self._first_name(token.low)
                and _adjacent(text, token, nxt)
                and (self._clear_surname(nxt.low) or nxt.low in self.lexicon.ambiguous_surnames
                     or self.lexicon.is_name(nxt.low))
                and _PRESENTED.search(text, 0, token.start)
            ):
                names.update((i, i + 1))
        self._before_verbs(text, tokens, names)
        self._after_triggers(text, tokens, names)
        self._extend_chains(text, tokens, names)
        return [RecognizerResult(PERSON, tokens[i].start, tokens[i].end, 0.85) for i in sorted(names)]

    def _before_verbs(self, text: str, tokens: list[_Token], names: set[int]) -> None:
        """«lene her.» first in a message, and the one or two words before «heter jeg»."""
        for i, token in enumerate(tokens):
            if i == 0 and self._first_name(token.low) and _HERE.match(text, token.end) and not self._keep(token):
                names.add(i)  # «hans her.»: first in the message, even a name that is also a small word
            if self._keep(token) or token.low in self.lexicon.stop_words:
                continue
            if _NAMED_AFTER.match(text, token.end):
                names.add(i)
                previous = tokens[i - 1] if i > 0 else None
                if (
                    previous is not None
                    and _adjacent(text, previous, token)
                    and self._first_name(previous.low)
                    and previous.low not in self.lexicon.stop_words
                ):
                    names.add(i - 1)

    def _after_triggers(self, text: str, tokens: list[_Token], names: set[int]) -> None:
        starts = [token.start for token in tokens]
        for pattern, strength in self.triggers:
            for match in pattern.finditer(text):
                i = _first_token_after(starts, match.end())
                if i is None or not _TRIGGER_GAP.fullmatch(text, match.end(), tokens[i].start):
                    continue
                if strength == _STRONG:
                    while (
                        i < len(tokens) - 1
                        and tokens[i].low in self.lexicon.fillers
                        and _TRIGGER_GAP.fullmatch(text, tokens[i].end, tokens[i + 1].start)
                    ):
                        i += 1
                token = tokens[i]
                # «jeg heter hans»: right after «heter», a first name that is also a small word is the name
                named = strength == _STRONG and self._ambiguous_first(token.low)
                if (token.low in self.lexicon.stop_words and not named) or self._keep(token):
                    continue
                if (
                    strength == _STRONG
                    or token.capital
                    or self._safe_name(token.low)
                    or (strength == _RELATION and (self.lexicon.is_name(token.low) or self._clear_surname(token.low)))
                ):
                    names.add(i)
                    self._chain_from(text, tokens, i, names, after_trigger=True, strong=strength == _STRONG)

    def _extend_chains(self, text: str, tokens: list[_Token], names: set[int]) -> None:
        for i in sorted(names):
            if tokens[i].capital or self._first_name(tokens[i].low):
                self._chain_from(text, tokens, i, names, after_trigger=False, strong=False)

    def _chain_from(
        self, text: str, tokens: list[_Token], i: int, names: set[int], after_trigger: bool, strong: bool
    ) -> None:
        """Middle names and surnames after a name: «Ola Johan Nordmann», «jeg heter ali hassan»."""
        for j in range(i + 1, min(i + 1 + _MAX_CHAIN, len(tokens))):
            prev, token = tokens[j - 1], tokens[j]
            if not _adjacent(text, prev, token):
                return
            # A surname that is also a word («Haugen», «Strand») after a known first name is a surname.
            known_first = j == i + 1 and self._first_name(tokens[i].low)
            if j in names or self._surname_after_first(token, after_trigger or known_first):
                names.add(j)
                continue
            if strong and j == i + 1 and self._plain_word_as_surname(token):
                names.add(j)
                continue
            return

    def _surname_after_first(self, token: _Token, after_trigger: bool) -> bool:
        low = token.low
        if self._keep(token) or low in self.lexicon.stop_words:
            return False
        if self._safe_name(low) or self._clear_surname(low):
            return True
        if low in self.lexicon.ambiguous_surnames or low in self.lexicon.ambiguous_first_names:
            return token.capital or after_trigger
        return token.capital  # an unknown capitalised word right after a first name: «Kristian Grønvold»

    def _clear_surname(self, low: str) -> bool:
        """A surname from the list, or one built like most Norwegian surnames (-sen, -son, -stad, -rud, -land)."""
        return low in self.lexicon.surnames or (len(low) > 5 and bool(_SURNAME_ENDING.search(low))
                                                and low not in self.lexicon.stop_words)

    def _plain_word_as_surname(self, token: _Token) -> bool:
        """Right after «jeg heter X», a lower-case word that is not a common word is taken as a surname."""
        return len(token.low) > 2 and token.low not in self.lexicon.stop_words and not self._keep(token)

    def _keep(self, token: _Token) -> bool:
        return token.low in self.lexicon.keep_words

    def _safe_name(self, low: str) -> bool:
        lex = self.lexicon
        for form in _forms(low):
            if form in lex.first_names or form in lex.surnames:
                return True
        if "-" in low:
            parts = low.split("-")
            return all(lex.is_name(p) for p in parts) and any(self._safe_name(p) for p in parts)
        return False

    def _first_name(self, low: str) -> bool:
        return any(f in self.lexicon.first_names or f in self.lexicon.ambiguous_first_names for f in _forms(low))

    def _ambiguous_first(self, low: str) -> bool:
        return low in self.lexicon.ambiguous_first_names


class SpacyPersonRecognizer(EntityRecognizer):
    """Person entities from the spaCy pipeline's NER (nb_core_news: PER), minus words that are never names."""

    def __init__(self, lexicon: Lexicon, language: str = "nb") -> None:
        self.lexicon = lexicon
        super().__init__(supported_entities=[PERSON], supported_language=language, name="SpacyPersonRecognizer")

    def load(self) -> None:
        """The pipeline is loaded by the NLP engine."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Each PER/PERSON span, unless every word in it is a keep word or a stop word."""
        if nlp_artifacts is None:
            return []
        results = []
        for span in nlp_artifacts.entities:
            if span.label_ not in ("PER", "PERSON"):
                continue
            words = [m.group(0).lower() for m in _WORD.finditer(span.text)]
            if not words or all(w in self.lexicon.keep_words or w in self.lexicon.stop_words for w in words):
                continue
            if _MARKER.search(span.text):
                continue
            results.append(RecognizerResult(PERSON, span.start_char, span.end_char, 0.8))
        return results


def _forms(low: str) -> tuple[str, ...]:
    """The word and its base without a genitive s: «kristians» -> «kristian», «ola's» -> «ola»."""
    for ending in ("'s", "’s", "'", "’"):
        if low.endswith(ending):
            return (low, low[: -len(ending)])
    if low.endswith("s") and len(low) > 3:
        return (low, low[:-1])
    return (low,)


def _tokenize(text: str) -> list[_Token]:
    markers = [m.span() for m in _MARKER.finditer(text)]
    shouting = _is_shouting(_MARKER.sub(" ", text))
    tokens: list[_Token] = []
    previous_end = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        if any(a <= start and end <= b for a, b in markers):
            continue  # a marker is not a word: «[navn]» never starts or continues a name
        word = match.group(0)
        gap = text[previous_end:start]
        tokens.append(
            _Token(
                start=start,
                end=end,
                text=word,
                low=word.lower(),
                capital=word[0].isupper() and not shouting,
                sentence_start=not tokens or bool(_SENTENCE_BREAK.search(gap)),
            )
        )
        previous_end = end
    return tokens


def _is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.7 * len(letters)


def _first_token_after(starts: list[int], position: int) -> int | None:
    i = bisect.bisect_left(starts, position)
    return i if i < len(starts) else None


def _adjacent(text: str, first: _Token, second: _Token) -> bool:
    """Only spaces between two words (a name does not run across commas or lines)."""
    gap = text[first.end : second.start]
    return gap != "" and gap.strip(" \t") == ""
