"""A second opinion for what the patterns miss: word and letter n-grams over the safety examples."""

from __future__ import annotations

import logging
import math
import os
import pickle
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.paths import PROJECT_ROOT, data_file, files_fingerprint, read_yaml
from bot.safety.patterns import without_ordinary
from bot.safety.spelling import canonical

# One file per writer: the set written for training, and the held-out sets that were measured once, blind,
# and then became training data (a classifier learns more from other writers' sentences than from patterns).
EXAMPLES_DIR = data_file("safety", "examples")
NLU_DIR = data_file("nlu")
logger = logging.getLogger(__name__)
# What the trained classifier depends on: its data, the spelling and ordinary phrases it reads with, its code.
TRAINING_INPUTS = (
    "data/safety/examples", "data/nlu", "data/safety/patterns.yml",
    "bot/safety/classifier.py", "bot/safety/patterns.py", "bot/safety/spelling.py",
)
# Ordinary messages from the intent training data are negatives too: «vet ikke», «nei takk», a question about pay.
# The intent model's intent for signs of crisis.
CRISIS_INTENT = "express_crisis"
NOT_ORDINARY = {CRISIS_INTENT, "express_hopelessness"}
ENTITY = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}")
# Above it the message gets one gentle, direct question. 0.85, then 0.80 on 2026-12-04; 0.75 since the
# once-blind sets became training data: judged writer by writer (each file by a classifier trained without
# it), patterns and classifier catch 96.6 % with 4.4 % false alarms (0.70: 97.8 %, 4.9 %; 0.80: 95.7 %,
# 3.5 %). docs/safety.md has the sweep.
POSSIBLE_THRESHOLD = 0.75


@dataclass(frozen=True)
class Example:
    """One labelled training message."""

    text: str
    label: str
    kind: str
    source: str = ""


def load_examples(path: Path) -> list[Example]:
    """The labelled messages in a safety file (training or held out)."""
    items = read_yaml(path)["items"]
    return [Example(text=str(i["text"]), label=str(i["label"]), kind=str(i.get("kind", i["label"])), source=path.stem)
            for i in items]


def safety_examples(folder: Path = EXAMPLES_DIR) -> list[Example]:
    """Every labelled safety message the classifier learns from, file by file."""
    return [example for path in sorted(folder.glob("*.yml")) for example in load_examples(path)]


def nlu_examples(folder: Path) -> Iterator[tuple[str, str]]:
    """(intent, text) for every example in a folder of Rasa NLU files, entity markup taken out."""
    for path in sorted(folder.glob("*.yml")):
        data = read_yaml(path) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples") or "").splitlines():
                text = ENTITY.sub(lambda m: m.group(1) or m.group(2) or "", line.strip().removeprefix("- ").strip())
                if text:
                    yield str(block["intent"]), text


def ordinary_messages(folder: Path = NLU_DIR) -> list[Example]:
    """Every example of an ordinary intent in the NLU training data, as a negative."""
    return [
        Example(text=text, label="negative", kind="ordinary", source="nlu")
        for intent, text in nlu_examples(folder)
        if intent not in NOT_ORDINARY and not text.startswith("/")
    ]


def crisis_intent_messages(folder: Path = NLU_DIR) -> list[str]:
    """Every example of the intent model's crisis intent in a folder of NLU files."""
    return [text for intent, text in nlu_examples(folder) if intent == CRISIS_INTENT]


def training_examples() -> list[Example]:
    """The safety examples and the ordinary messages the classifier learns from."""
    return safety_examples() + ordinary_messages()


def prepared(text: str) -> str:
    """The message as the classifier reads it: spelt one way, idioms and jobs with hard words taken out."""
    return without_ordinary(canonical(text))


def build_model() -> Any:
    """An untrained pipeline: TF-IDF over words and letter n-grams, logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(preprocessor=prepared, analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(preprocessor=prepared, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(C=4, max_iter=3000, class_weight="balanced"))


def is_signal(label: str) -> bool:
    """Crisis, threat and possible are signals; negative is not."""
    return label != "negative"


def training_fingerprint() -> str:
    """A hash of everything training reads, and of scikit-learn's version: equal hashes, equal models."""
    import sklearn

    return files_fingerprint(PROJECT_ROOT, TRAINING_INPUTS, salt=sklearn.__version__)[:16]


def train() -> Any:
    """Train on `data/safety/examples/` and `data/nlu` (about ten seconds; deterministic)."""
    examples = training_examples()
    model = build_model()
    model.fit([e.text for e in examples], [int(is_signal(e.label)) for e in examples])
    return model


@lru_cache(maxsize=1)
def trained_model() -> Any:
    """The classifier, once per process: from var/cache/ when nothing it learns from changed, else trained."""
    from bot.settings import get_settings

    return kept_or_trained(get_settings().var_dir / "cache")


def kept_or_trained(folder: Path) -> Any:
    """The model kept in `folder` for this training fingerprint, or a new one, trained and kept there.

    The file is Veivalg's own, in var/ (only the service's user may write there); a Rasa server then
    starts without training again.
    """
    path = folder / f"safety-classifier-{training_fingerprint()}.pickle"
    if path.is_file():
        try:
            return pickle.loads(path.read_bytes())  # written below by this code, in var/
        except Exception:
            logger.warning("The kept safety classifier could not be read; training it again")
    model = train()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for old in folder.glob("safety-classifier-*.pickle"):
            old.unlink(missing_ok=True)
        partial = folder / f".{path.name}.{os.getpid()}"  # two servers starting at once never share a file
        partial.write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)
    except OSError:
        logger.warning("Could not keep the trained safety classifier in %s", folder)
    return model


def _unchanged(text: str) -> str:
    """The text as given (it is already prepared)."""
    return text


@dataclass(frozen=True)
class Features:
    """One TF-IDF vectorizer of the trained pipeline, as plain tables."""

    analyze: Callable[[str], list[str]]  # the vectorizer's analyzer, on text already `prepared`
    vocabulary: dict[str, int]
    idf: list[float]
    weights: list[float]  # the logistic regression's coefficient of each of this vectorizer's columns
    sublinear_tf: bool


@dataclass(frozen=True)
class Scorer:
    """The trained pipeline's arithmetic for one message, without scikit-learn's checks and sparse matrices.

    scikit-learn spends about ten times the arithmetic on each single message (validating the fitted
    state, recomputing the idf vector, building sparse matrices, a joblib call for the feature union);
    the safety net scores every message. Same numbers (tests/safety/test_classifier.py compares them).
    """

    preprocess: Callable[[str], str]  # the vectorizers' shared preprocessor, run once per message
    features: tuple[Features, ...]
    intercept: float

    @classmethod
    def of(cls, model: Any) -> Scorer:
        """The tables of a fitted pipeline from `build_model` (a union of TF-IDF vectorizers, logistic regression)."""
        from sklearn.base import clone

        union, regression = model.steps[0][1], model.steps[-1][1]
        vectorizers = [vectorizer for _, vectorizer in union.transformer_list]
        coefficients = regression.coef_[0].tolist()
        features, offset = [], 0
        for vectorizer in vectorizers:
            assert vectorizer.norm == "l2" and vectorizer.use_idf and not vectorizer.binary, "build_model changed"
            assert vectorizer.preprocessor is vectorizers[0].preprocessor is not None, "build_model changed"
            size = len(vectorizer.vocabulary_)
            features.append(Features(
                analyze=clone(vectorizer).set_params(preprocessor=_unchanged).build_analyzer(),
                vocabulary=dict(vectorizer.vocabulary_),
                idf=vectorizer.idf_.tolist(), weights=coefficients[offset:offset + size],
                sublinear_tf=vectorizer.sublinear_tf,
            ))
            offset += size
        return cls(vectorizers[0].preprocessor, tuple(features), float(regression.intercept_[0]))

    def probability(self, text: str) -> float:
        """P(signal): each vectorizer's L2-normalised TF-IDF row times its weights, through the logistic."""
        decision, text = self.intercept, self.preprocess(text)
        for part in self.features:
            counts = Counter(part.vocabulary[term] for term in part.analyze(text) if term in part.vocabulary)
            values = {
                column: ((math.log(count) + 1) if part.sublinear_tf else count) * part.idf[column]
                for column, count in counts.items()
            }
            norm = math.sqrt(sum(value * value for value in values.values()))
            if norm:
                decision += sum(value * part.weights[column] for column, value in values.items()) / norm
        return 1 / (1 + math.exp(-decision))


@lru_cache(maxsize=1)
def scorer() -> Scorer:
    """The trained classifier as a `Scorer`, once per process."""
    return Scorer.of(trained_model())


def signal_probability(text: str) -> float:
    """How likely the message is a crisis, a threat or a sign to ask about, from 0 to 1."""
    return scorer().probability(text)
