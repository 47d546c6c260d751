"""What simulated users say, step by step: Veivalg's guidance and handover conversations, and the stock moodbot's."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    """One user turn: free text, or the button with this title in the bot's latest message."""

    text: str
    expect: str = ""  # a phrase the bot's answer should contain
    button: str = ""  # pick this button's payload when the bot offered it; otherwise send `text`
    consent: bool = False  # the turn where the user agrees to storing
    name: str = ""  # what the step is, for the load report ("knapp", "ask for a counsellor")


OCCUPATIONS = ("tømrer", "elektriker", "kokk", "rørlegger", "helsefagarbeider", "sveiser")


def conversation(rng: random.Random) -> list[Step]:
    """The guidance conversation of 15 turns: consent, «Meg i kontekst», an occupation, «min plan», a rating."""
    occupation = rng.choice(OCCUPATIONS)
    return [
        Step("hei", expect="Vil du at jeg tar vare på samtalen", name="greet"),
        Step("/affirm", button="Ja, ta vare på den", expect="Samtalen tas vare på", consent=True, name="consent"),
        Step("/explore_self_in_context", button="Meg i kontekst", expect="Hva er viktig for deg", name="knapp"),
        Step(rng.choice(["å være der for datteren min når jeg kommer ut", "å få en fast jobb og et sted å bo"]),
             expect="Hvem har mest å si", name="what matters"),
        Step("vet ikke", expect="Hvem lytter du mest til", name="vet ikke"),
        Step(rng.choice(["mamma og læreren på skolen", "kompisen min fra verkstedet"]), expect="Hva er du god til",
             name="who listens"),
        Step(f"hva gjør en {occupation}", expect="Da går vi tilbake til spørsmålet", name="occupation in between"),
        Step(rng.choice(["jeg er flink til å fikse motorer", "jeg lager god mat til mange"]),
             expect="Hva har du lært om deg selv", name="good at"),
        Step("jeg er tålmodig når jeg jobber i verkstedet", expect="Hva tar du med deg", name="learned"),
        Step("at jeg kan mer enn jeg trodde", expect="ett lite steg", name="take with you"),
        Step(f"spørre skolen om fagbrev som {occupation}", expect="Bra jobbet", name="next step"),
        Step("/request_summary", button="Vis min plan", expect="min plan", name="min plan"),
        Step("ha det", expect="Var dette nyttig?", name="goodbye"),
        Step("5", button="5 Veldig nyttig", expect="Vil du skrive noen ord", name="rating"),
        Step("det var fint å tenke høyt om dette", expect="Takk for praten", name="comment"),
    ]


def handover_conversation(rng: random.Random) -> list[Step]:
    """Occupation questions, then a person: the handover questions answered, a contact code, goodbye and a rating.

    Expects that no counsellor is online: then the bot does not ask about a live chat and queues a message.
    """
    first, second = rng.sample(OCCUPATIONS, 2)
    return [
        Step("hei", expect="Vil du at jeg tar vare på samtalen", name="greet"),
        Step("/affirm", button="Ja, ta vare på den", expect="Samtalen tas vare på", consent=True, name="consent"),
        Step(f"hva gjør en {first}", expect="Typiske oppgaver", name="occupation"),
        Step(f"trenger jeg politiattest for å bli {first}", button="Politiattest", expect="politiattest",
             name="politiattest"),
        Step(f"hvordan blir jeg {second}", expect="Veien til", name="route"),
        Step(rng.choice(["kan jeg snakke med en veileder", "jeg vil snakke med et menneske"]),
             expect="Vil du at veilederen får et kort sammendrag", name="ask for a counsellor"),
        Step("/affirm", button="Ja, del sammendraget", expect="Koden din er", name="share the summary"),
        Step("ha det", expect="Var dette nyttig?", name="goodbye"),
        Step("4", button="4", expect="Vil du skrive noen ord", name="rating"),
        Step("/skip_question", button="Nei takk", expect="Takk for praten", name="no comment"),
    ]


MOODBOT_TURNS = (
    "hello", "I am feeling very sad", "yes", "hi there", "I am great", "goodbye", "hey", "not good", "no",
    "good morning", "perfect", "bye", "are you a bot?", "hello", "very good",
)


def moodbot_conversation() -> list[Step]:
    """The stock `rasa init` bot's 15 English turns; no phrase is expected, any answer with a message will do."""
    return [Step(text, name=text) for text in MOODBOT_TURNS]


def reply_text(body: Any) -> str:
    """The texts of the bot's messages in one answer, one per line."""
    return "\n".join(str(m.get("text") or "") for m in body if isinstance(m, dict)) if isinstance(body, list) else ""


def pick(step: Step, body: Any) -> str:
    """The button's payload when the bot offered that button, else the step's own text."""
    if step.button and isinstance(body, list):
        for message in body:
            for button in (message.get("buttons") or []) if isinstance(message, dict) else []:
                if button.get("title") == step.button:
                    return str(button.get("payload") or step.text)
    return step.text
