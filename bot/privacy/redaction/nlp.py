"""An offline Presidio NLP engine around an already loaded spaCy pipeline (never downloads a model)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

PERSON_LABELS = ("PER", "PERSON")
_NER_COMPONENTS = ("tok2vec", "ner")


def load_pipeline(path: Path | None) -> Any:
    """The prepared Norwegian pipeline at `path` (only its NER parts), or a blank `nb` one."""
    import spacy

    meta = path / "meta.json" if path is not None else None
    if path is None or meta is None or not meta.is_file():
        return spacy.blank("nb")
    components = json.loads(meta.read_text(encoding="utf-8")).get("pipeline", [])
    if "ner" not in components:
        return spacy.blank("nb")
    return spacy.load(path, disable=[c for c in components if c not in _NER_COMPONENTS])


class PipelineNlpEngine(NlpEngine):
    """Presidio's view of one loaded spaCy pipeline; `load()` does nothing, so nothing is fetched."""

    def __init__(self, nlp: Any, language: str = "nb") -> None:
        self.nlp = nlp
        self.language = language

    @property
    def has_ner(self) -> bool:
        """True when the pipeline can find named entities."""
        return "ner" in self.nlp.pipe_names or "entity_ruler" in self.nlp.pipe_names

    def load(self) -> None:
        """The pipeline is already loaded."""

    def is_loaded(self) -> bool:
        """Always loaded."""
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Run the pipeline and keep only person entities."""
        return self._artifacts(self.nlp(text), language)

    def process_batch(
        self,
        texts: Iterable[str],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        **kwargs: Any,
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        """Run the pipeline over several texts."""
        for doc in self.nlp.pipe(texts, batch_size=batch_size):
            yield doc.text, self._artifacts(doc, language)

    def is_stopword(self, word: str, language: str) -> bool:
        """The pipeline's own stop words."""
        return bool(self.nlp.vocab[word].is_stop)

    def is_punct(self, word: str, language: str) -> bool:
        """The pipeline's own punctuation."""
        return bool(self.nlp.vocab[word].is_punct)

    def get_supported_entities(self) -> list[str]:
        """Only persons."""
        return ["PERSON"]

    def get_supported_languages(self) -> list[str]:
        """The one language of the pipeline."""
        return [self.language]

    def _artifacts(self, doc: Any, language: str) -> NlpArtifacts:
        entities = [ent for ent in doc.ents if ent.label_ in PERSON_LABELS]
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lemma_ or token.text for token in doc],
            nlp_engine=self,
            language=language,
            scores=[0.85] * len(entities),
        )
