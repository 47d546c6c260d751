"""What a message inside a knapp means: switch knapp, a side question, the plan, «vet ikke», skip or an answer."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.catalogue.dialogue import INTENT_TOPICS
from bot.guidance import knapper
from bot.text.folding import fold

# An occupation question or a request for the plan inside a knapp is taken as one only when the model is
# this sure; below it, the message is the user's answer to the question.
SIDE_QUESTION_CONFIDENCE = 0.8

# «vet ikke» and skipping are read from the words too: the model once took «at jeg vet når jeg skal si nei»
# for «vet ikke» and «spørre nav om excelkurs» for a skip, and the answer was lost.
_DONT_KNOW = re.compile(
    r"\b(vet|veit|vett|vaet|vt|vte|vetikke)\b.{0,25}\b(ikke|ikkje|itj|ik|ikk|inte|ente|ikek|itte)\b|"
    r"\b(ka|kva|hva) (veit|vet|vett) (e|eg|jeg|ae)\b|\b(aner|ane|ana)\b|\b(anelse|aning|peil\w*|formening)\b|"
    r"\b(usikker|uklart|vanskelig|vanskeleg|kanskje|tja|hmm+|ehh+|idk|dunno|blank|neimen|hakke)\b|"
    r"\b(ikke|ikkje|itj) (sikker|godt a si|lett a si|noe svar|noko svar)\b|\b(don t|dont|do not|really) know\b|"
    r"\b(not|really) sure\b|\bno (idea|clue)\b|\b(kommer|kjem|klarer) (ikke|ikkje|itj) (pa|a komme pa)\b|"
    r"\b(ikke|ikkje|itj|aldri|never|haven t|havent) (\w+ )?(tenkt|thought)\b|\btomt i hodet\b|\bsikkert\b|"
    r"\b(ikke|ikkje|itj|ingen) (\w+ )?svar\b|\bkjenner (ikke|ikkje) til\b")
_SKIP = re.compile(
    r"\b(hopp\w*|hop|skip\w*|dropp\w*|neste|next|videre|pass|styr unna|spol\w*|move on|driter i|star over|"
    r"(annet|anna|annen|nytt|bytt) (sporsmal|tema)|(spor|still|ta|finn|bytt|la oss ta|kan vi ta)\b.{0,25}"
    r"\b(annet|anna|annen|noe annet|noko anna)|(ikke|ikkje|itj) (\w+ )?(lyst|svare|svar|inn pa|seie|det sporsmalet)|"
    r"(gidder|gidd|orker|vil|ville|onsker) (ikke|ikkje|itj) (a )?(svar\w*|snakke|prate|si|seie|inn pa|det)\b|"
    r"svar\w* (ikke|ikkje|itj|eg ikkje)|holder .{0,20}for meg selv|"
    r"angar (ikke|ikkje) deg|liker (ikke|ikkje) .{0,20}sporsmal|rather not|(dont|don t) want to answer)\b")

SWITCH, START, SIDE_QUESTION, SHOW_PLAN, EASIER, SKIPPED, ANSWERED = (
    "switch", "start", "side_question", "show_plan", "easier", "skipped", "answered"
)


@dataclass(frozen=True)
class KnappMessage:
    """What the user wrote while a knapp asked its question, as the NLU read it."""

    text: str
    value: str | None  # the slot value the form extracted (None when the knapp has just begun)
    intent: str = ""
    confidence: float = 0.0
    has_occupation: bool = False


@dataclass(frozen=True)
class KnappTurn:
    """The decision for one message: what kind it is and the slots to set."""

    kind: str
    slots: dict[str, Any] = field(default_factory=dict)
    acknowledgement: str | None = None
    knapp: str | None = None  # the knapp switched to


def decide(key: str, answers: Mapping[str, Any] | None, message: KnappMessage, dont_know_before: bool) -> KnappTurn:
    """The next step of knapp `key` after `message`; the caller says what the kind calls for."""
    step = knapper.answered_steps(answers, key)
    chosen = knapper.KNAPP_INTENTS.get(message.intent) if message.text.startswith("/") else knapper.named(message.text)
    if chosen:  # a knapp's button, or its name typed: switch (or start) that knapp
        slots = {"knapp_answer": None, "current_knapp": chosen, "knapp_dont_know": False}
        return KnappTurn(SWITCH if chosen != key else START, slots, knapp=chosen)
    if message.value is None:
        # The knapp has just begun (its start clears the slot): nothing was answered yet, so ask.
        return KnappTurn(START, {"knapp_answer": None})
    sure = message.confidence >= SIDE_QUESTION_CONFIDENCE
    if (
        message.intent in INTENT_TOPICS
        and sure
        and message.has_occupation
        and (message.text.startswith("/") or knapper.is_question(message.text))
    ):
        return KnappTurn(SIDE_QUESTION, {"knapp_answer": None})
    if message.intent == "request_summary" and sure:
        return KnappTurn(SHOW_PLAN, {"knapp_answer": None})
    message = _words_first(message)
    if message.value == knapper.DONT_KNOW and not dont_know_before:
        return KnappTurn(EASIER, {"knapp_answer": None, "knapp_dont_know": True})
    if message.value in (knapper.DONT_KNOW, knapper.SKIP):
        return KnappTurn(SKIPPED, advance(key, knapper.record(answers, key, step, None)),
                         acknowledgement=str(knapper.texts()["skip_ack"]))
    words = str(message.value)  # not None: a message without a value returned above
    return KnappTurn(ANSWERED, advance(key, knapper.record(answers, key, step, words)),
                     acknowledgement=knapper.acknowledge(key, step, words))


def _words_first(message: KnappMessage) -> KnappMessage:
    """«Vet ikke» or a skip the model heard in words that say neither is the user's answer after all."""
    if message.text.startswith("/") or message.value not in (knapper.DONT_KNOW, knapper.SKIP):
        return message
    folded = fold(message.text)
    cue = _DONT_KNOW if message.value == knapper.DONT_KNOW else _SKIP
    if cue.search(folded) or (message.value == knapper.SKIP and _DONT_KNOW.search(folded)):
        return message
    return KnappMessage(message.text, message.text, message.intent, message.confidence, message.has_occupation)


def advance(key: str, answers: dict[str, Any]) -> dict[str, Any]:
    """Slots after an answer: the form ends when every step of the knapp is answered or skipped."""
    done = knapper.answered_steps(answers, key) >= len(knapper.steps(key))
    return {"knapp_answer": "done" if done else None, "knapp_answers": answers, "knapp_dont_know": False}
