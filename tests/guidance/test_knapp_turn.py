"""Inside a knapp, «vet ikke» and skipping count only when the words say so; otherwise they are answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.guidance import knapp_turn, knapper
from bot.guidance.knapp_turn import KnappMessage, decide
from bot.paths import PROJECT_ROOT
from bot.safety.classifier import nlu_examples
from bot.text.folding import fold

ANSWERS = {"self_in_context": {"what_matters": "familien"}}


@pytest.mark.parametrize(("text", "value"), [
    ("at jeg vet når jeg skal si nei", knapper.DONT_KNOW),
    ("spørre nav om excelkurs", knapper.SKIP),
])
def test_an_answer_the_model_took_for_vet_ikke_or_a_skip_is_kept(text: str, value: str):
    turn = decide("self_in_context", ANSWERS, KnappMessage(text=text, value=value, intent="x"), False)

    assert turn.kind == knapp_turn.ANSWERED
    assert turn.slots["knapp_answers"]["self_in_context"]["who_influences"] == text


def test_vet_ikke_in_words_still_gives_the_easier_question_and_a_button_still_skips():
    easier = decide("self_in_context", ANSWERS, KnappMessage("det veit eg ikkje", knapper.DONT_KNOW), False)
    skipped = decide("self_in_context", ANSWERS, KnappMessage("/skip_question", knapper.SKIP), False)

    assert (easier.kind, skipped.kind) == (knapp_turn.EASIER, knapp_turn.SKIPPED)


@pytest.mark.parametrize(("intent", "cue"), [("dont_know", knapp_turn._DONT_KNOW), ("skip_question", knapp_turn._SKIP)])
def test_the_ways_people_say_vet_ikke_or_skip_are_heard(intent: str, cue):
    examples = [t for folder in ("data/nlu", "tests/nlu") for i, t in nlu_examples(Path(PROJECT_ROOT / folder))
                if i == intent]
    heard = [t for t in examples if cue.search(fold(t)) or knapp_turn._DONT_KNOW.search(fold(t))]
    assert len(examples) > 100 and len(heard) >= 0.95 * len(examples), set(examples) - set(heard)
