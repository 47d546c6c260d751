"""The redactor: Presidio's analyzer with Veivalg's Norwegian recognizers, and its anonymizer."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult

from bot.privacy.redaction.kinds import MARKERS, PRIORITY, Finding
from bot.privacy.redaction.lexicon import DATA_DIR, Lexicon, load_lexicon
from bot.privacy.redaction.names import NameRecognizer, SpacyPersonRecognizer
from bot.privacy.redaction.nlp import PipelineNlpEngine, load_pipeline
from bot.privacy.redaction.numbers import FodselsnummerRecognizer, PhoneRecognizer
from bot.privacy.redaction.patterns import AddressRecognizer, LicencePlateRecognizer, email_recognizer

LANGUAGE = "nb"
_MAX_PASSES = 4
_MARKER = re.compile("|".join(re.escape(m) for m in MARKERS.values()))
_OPERATORS = {kind: OperatorConfig("replace", {"new_value": marker}) for kind, marker in MARKERS.items()}


class _NoContext(ContextAwareEnhancer):
    """Veivalg's recognizers score without context words, so the lemma enhancer is skipped."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Return the results unchanged."""
        return raw_results


class Redactor:
    """Finds personal data in Norwegian text and replaces it with markers such as «[navn]»."""

    def __init__(self, analyzer: AnalyzerEngine, anonymizer: AnonymizerEngine) -> None:
        self.analyzer = analyzer
        self.anonymizer = anonymizer

    def findings(self, text: str) -> list[Finding]:
        """Where the personal data is in `text` (one pass); overlapping finds are joined. A `/payload` has none."""
        if not text or not text.strip() or text.startswith("/"):
            return []
        results = self.analyzer.analyze(text=text, language=LANGUAGE, score_threshold=0.5)
        markers = [m.span() for m in _MARKER.finditer(text)]
        spans = [
            (r.start, r.end, r.entity_type)
            for r in results
            if r.end > r.start and not any(a <= r.start and r.end <= b for a, b in markers)
        ]
        return _join(text, spans)

    def redact(self, text: str) -> str:
        """The text with every finding replaced by its marker; the markers themselves stay.

        Runs again on its own result until nothing more is found (a plate right before an address is
        only seen once the address is a marker), so redacting twice never changes anything.
        """
        for _ in range(_MAX_PASSES):
            found = self.findings(text)
            if not found:
                return text
            results = [AnonymizerResult(f.kind, f.start, f.end, 1.0) for f in found]
            text = self.anonymizer.anonymize(text=text, analyzer_results=results, operators=_OPERATORS).text
        return text


def _join(text: str, spans: list[tuple[int, int, str]]) -> list[Finding]:
    """Overlapping finds become one (the kind first in PRIORITY); finds of one kind with only spaces between too."""
    joined: list[Finding] = []
    for start, end, kind in sorted(spans):
        last = joined[-1] if joined else None
        if last is not None and start < last.end:
            best = min((last.kind, kind), key=PRIORITY.index)
            joined[-1] = Finding(best, last.start, max(last.end, end))
        elif last is not None and kind == last.kind and text[last.end : start].strip(" \t") == "":
            joined[-1] = Finding(kind, last.start, end)
        else:
            joined.append(Finding(kind, start, end))
    return joined


def build_redactor(nlp: Any = None, data_dir: Path = DATA_DIR) -> Redactor:
    """A redactor over `nlp` (a loaded spaCy pipeline; blank `nb` if None) and the lists in `data_dir`."""
    import spacy

    engine = PipelineNlpEngine(spacy.blank(LANGUAGE) if nlp is None else nlp, LANGUAGE)
    lexicon: Lexicon = load_lexicon(data_dir)
    recognizers: list[EntityRecognizer] = [
        FodselsnummerRecognizer(LANGUAGE),
        PhoneRecognizer(LANGUAGE),
        email_recognizer(LANGUAGE),
        AddressRecognizer(lexicon, LANGUAGE),
        LicencePlateRecognizer(lexicon.not_plate_letters, LANGUAGE),
        NameRecognizer(lexicon, LANGUAGE),
    ]
    if engine.has_ner:
        recognizers.append(SpacyPersonRecognizer(lexicon, LANGUAGE))
    registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[LANGUAGE])
    analyzer = AnalyzerEngine(
        registry=registry,
        nlp_engine=engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=_NoContext(),
    )
    return Redactor(analyzer, AnonymizerEngine())


_redactor: Redactor | None = None
_lock = threading.Lock()


def get_redactor() -> Redactor:
    """The process's redactor, built on first use over the prepared spaCy pipeline (thread-safe)."""
    global _redactor
    if _redactor is None:
        with _lock:
            if _redactor is None:
                from bot.settings import get_settings

                _redactor = build_redactor(load_pipeline(get_settings().spacy_model_dir))
    return _redactor


def redact_text(text: str) -> str:
    """`get_redactor().redact(text)`."""
    return get_redactor().redact(text)
