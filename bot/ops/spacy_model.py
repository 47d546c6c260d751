"""The Norwegian spaCy pipeline: the installed `nb_core_news_*` model, or a saved blank `nb` one."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

logger = logging.getLogger(__name__)

MODEL_CANDIDATES: tuple[str, ...] = ("nb_core_news_md", "nb_core_news_sm")
BLANK_SOURCE = "blank:nb"
SOURCE_FILE = "veivalg-source.json"

_announced: set[str] = set()


@dataclass(frozen=True)
class PreparedPipeline:
    """What `prepare_pipeline` put on disk."""

    path: Path
    source: str
    version: str
    components: tuple[str, ...]

    @property
    def is_blank(self) -> bool:
        """True when no trained Norwegian model was installed."""
        return self.source == BLANK_SOURCE

    def fingerprint(self) -> str:
        """Changes when another pipeline is used, so that the NLU model is retrained."""
        return f"{self.source}@{self.version}"


def find_installed_model(candidates: tuple[str, ...] = MODEL_CANDIDATES) -> str | None:
    """The first candidate that spaCy can load: an installed package name or a pipeline folder."""
    for name in candidates:
        if _installed_version(name) is not None or (Path(name) / "meta.json").is_file():
            return name
    return None


def _installed_version(package: str) -> str | None:
    """The version of an installed package, read without importing it (importing spaCy takes seconds)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def prepare_pipeline(target: Path, candidates: tuple[str, ...] = MODEL_CANDIDATES) -> PreparedPipeline:
    """Save the pipeline Rasa's SpacyNLP loads from `target`, rebuilding it only when the source changed."""
    source = find_installed_model(candidates)
    wanted_source = source or BLANK_SOURCE
    wanted_version = _source_version(source) if source else (_installed_version("spacy") or "unknown")
    current = read_prepared(target)
    if current and (current.source, current.version) == (wanted_source, wanted_version):
        announce(current)
        return current

    import spacy

    nlp = spacy.load(source) if source else spacy.blank("nb")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".spacy-", dir=target.parent))
    try:
        nlp.to_disk(staging)
        (staging / SOURCE_FILE).write_text(
            json.dumps({"source": wanted_source, "version": wanted_version}), encoding="utf-8"
        )
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    prepared = PreparedPipeline(target, wanted_source, wanted_version, tuple(nlp.pipe_names))
    announce(prepared)
    return prepared


def read_prepared(target: Path) -> PreparedPipeline | None:
    """The pipeline already prepared at `target`, or None."""
    source_file = target / SOURCE_FILE
    meta_file = target / "meta.json"
    if not source_file.is_file() or not meta_file.is_file():
        return None
    source = json.loads(source_file.read_text(encoding="utf-8"))
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    return PreparedPipeline(
        target, source["source"], source["version"], tuple(meta.get("pipeline", []))
    )


def announce(prepared: PreparedPipeline) -> None:
    """Log once per process which pipeline Veivalg uses."""
    key = prepared.fingerprint()
    if key in _announced:
        return
    _announced.add(key)
    if prepared.is_blank:
        logger.warning(
            "spaCy: nb_core_news_md/sm is not installed; using a blank Norwegian pipeline "
            "(tokenizer only, no named entities). See docs/operations.md, 'Norwegian spaCy model'."
        )
    else:
        logger.info("spaCy: using %s %s from %s", prepared.source, prepared.version, prepared.path)


def _source_version(name: str) -> str:
    """The version of an installed pipeline package, or of a pipeline folder (its meta.json)."""
    meta = Path(name) / "meta.json"
    if meta.is_file():
        return str(json.loads(meta.read_text(encoding="utf-8")).get("version") or "unknown")
    return _installed_version(name) or "unknown"
