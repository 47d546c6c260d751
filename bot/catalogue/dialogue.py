"""What to answer to an occupation question: find the occupation, then answer, ask or say honestly."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.catalogue import answers
from bot.catalogue.pay import asks_about_pay, asks_only_about_pay
from bot.catalogue.queries import get_occupation
from bot.catalogue.resolver import Resolution, guess_mention
from bot.catalogue.service import resolver
from bot.storage.tables.catalogue import Occupation

TOPIC_INTENTS = {
    "info": "ask_occupation_info",
    "route": "ask_education_path",
    "politiattest": "ask_politiattest",
    "compare": "compare_occupations",
    "similar": "ask_similar_occupations",
}
INTENT_TOPICS = {intent: topic for topic, intent in TOPIC_INTENTS.items()}
MAX_VIEWED = 20
# Words that make a question a comparison of two occupations, not a question about one («eller» alone is not).
_COMPARING = re.compile(r"\b(sammenlign\w*|samanlikn\w*|forskjell\w*|versus|vs|enn|compare\w*|difference|"
                        r"better than|more than)\b")


@dataclass
class Message:
    """One message to the user, with its buttons."""

    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Turn:
    """Messages to send and slots to set."""

    messages: list[Message] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        self.messages.append(Message(text))

    def respond(self, key: str, buttons: Sequence[dict[str, str]] = (), **values: Any) -> None:
        """A fixed text from messages.yml; `buttons` come first, then the text's own."""
        text, own = answers.message(key, **values)
        self.messages.append(Message(text, [*buttons, *own]))


@dataclass(frozen=True)
class Question:
    """What the user asked, as the tracker tells it."""

    intent: str
    text: str
    mentions: Sequence[str]
    awaiting: str | None = None
    current: str | None = None
    compare_first: str | None = None
    viewed: Sequence[str] = ()
    transition: bool = False  # the message also spoke of getting out: the transition is offered after the answer

    @property
    def is_bare_answer(self) -> bool:
        """A few typed words right after the bot asked which occupation: an answer, not a new question."""
        return bool(self.awaiting) and not self.text.startswith("/") and len(self.text.split()) <= 3

    @property
    def topic(self) -> str:
        if self.awaiting and (self.is_bare_answer or self.intent not in INTENT_TOPICS):
            return self.awaiting
        if self.awaiting == "pay" and self.intent == TOPIC_INTENTS["info"]:  # a button chosen after a pay question
            return "pay"
        topic = INTENT_TOPICS.get(self.intent, "info")
        if topic == "info" and asks_about_pay(self.text):  # «hva tjener en …» is trained as a question about the job
            return "pay"
        if topic == "route" and asks_only_about_pay(self.text):  # the model heard a route in «what's the pay for»
            return "pay"
        one = len(set(self.mentions)) < 2
        if topic == "compare" and one and asks_about_pay(self.text) and not _COMPARING.search(self.text.casefold()):
            return "pay"  # «tjener man bra som lege eller er det bare noe folk sier»: one occupation, its pay
        return topic


def _mentions_and_resolutions(question: Question, *, session: Session) -> tuple[list[str], list[Resolution]]:
    """What the user named, and what each name resolves to."""
    index = resolver(session=session)
    mentions = [m for m in question.mentions if m.strip()]
    found = [index.resolve(mention) for mention in mentions]
    if any(r.found for r in found) or question.text.startswith("/"):
        return mentions, found
    # «cnc operatør» where the model marked only «operatør»: the whole sentence may name one occupation.
    scanned = index.find_in_text(question.text)
    if scanned.found:
        return [question.text], [scanned]
    if any(r.ambiguous for r in found):
        return mentions, found
    if scanned.ambiguous:
        return [question.text], [scanned]
    if mentions:
        return mentions, found
    guess = guess_mention(question.text) or (question.text.strip() if question.awaiting else None)
    if guess:  # a name the catalogue may not know: "hva gjør en astronaut", or a bare answer
        return [guess], [index.resolve(guess)]
    return [], []


def answer(question: Question, *, session: Session) -> Turn:
    """The whole reply to an occupation question."""
    turn = Turn(slots={"awaiting_occupation": None})
    topic = question.topic
    mentions, resolutions = _mentions_and_resolutions(question, session=session)
    ambiguous = next((r for r in resolutions if r.ambiguous), None)
    slugs = [r.slug for r in resolutions if r.slug]
    if ambiguous and not slugs:
        options = [o for o in (get_occupation(s, session=session) for s in ambiguous.candidates) if o]
        intent = TOPIC_INTENTS.get(topic, TOPIC_INTENTS["info"])  # pay questions are asked with the info intent
        turn.respond("which", buttons=answers.occupation_buttons(options, intent))
        turn.slots["awaiting_occupation"] = topic
        return turn
    unknown = [m for m, r in zip(mentions, resolutions, strict=False) if not (r.found or r.ambiguous)]
    if not slugs and unknown:
        return _unknown(turn, unknown[0], resolutions[0], session=session)
    if topic == "compare":
        return _compare(turn, question, slugs, session=session)
    slug = slugs[0] if slugs else None
    if slug is None and topic == "similar":
        slug = question.current
    if slug is None:
        return _no_occupation(turn, topic, question, session=session)
    occupation = get_occupation(slug, session=session)
    assert occupation is not None
    _about(turn, topic, occupation, question)
    if question.transition:
        turn.messages.insert(-1, Message(*answers.message("offer_transition")))
    return turn


def _about(turn: Turn, topic: str, occupation: Occupation, question: Question) -> Turn:
    if topic == "route":
        for text in answers.education_route(occupation):
            turn.say(text)
    elif topic == "politiattest":
        for text in answers.politiattest(occupation):
            turn.say(text)
        turn.respond("politiattest_own_case")
    elif topic == "similar":
        for text in answers.similar(occupation):
            turn.say(text)
        turn.messages[-1].buttons = answers.occupation_buttons(list(occupation.related), "ask_occupation_info")
        _remember(turn, occupation, viewed=question.viewed)
        return turn
    elif topic == "pay":
        for text in answers.pay_answer(occupation):
            turn.say(text)
    else:
        for text in answers.occupation_info(occupation):
            turn.say(text)
    follow_up = "info" if topic == "pay" else topic
    turn.respond(f"more_after_{follow_up}", slug=occupation.slug, title=occupation.title)
    _remember(turn, occupation, viewed=question.viewed)
    return turn


def _remember(turn: Turn, *occupations: Occupation, viewed: Sequence[str]) -> None:
    """Make the last occupation the current one and add them all to those looked at (for «min plan»)."""
    slugs = [o.slug for o in occupations]
    kept = [s for s in viewed if s not in slugs] + slugs
    turn.slots.update(occupation_slug=slugs[-1], occupations_viewed=kept[-MAX_VIEWED:], compare_first=None)


def _compare(turn: Turn, question: Question, slugs: list[str], *, session: Session) -> Turn:
    first = question.compare_first or (question.current if len(slugs) < 2 else None)
    pair = list(dict.fromkeys(([first] if first else []) + slugs))
    if len(pair) == 1 and len(slugs) >= 2:  # «tømrer og snekker»: two names of one occupation
        same = get_occupation(pair[0], session=session)
        assert same is not None
        turn.respond("same_occupation", title=answers.view(same).title)
        return _about(turn, "info", same, question)
    if len(pair) < 2:
        known = get_occupation(pair[0], session=session) if pair else None
        turn.slots.update(awaiting_occupation="compare", compare_first=known.slug if known else None)
        if known:
            turn.respond("ask_compare_with", title=answers.view(known).title)
        else:
            turn.respond("ask_compare_first")
        return turn
    one, two = (get_occupation(s, session=session) for s in pair[:2])
    assert one is not None and two is not None
    for text in answers.compare(one, two):
        turn.say(text)
    turn.respond(
        "more_after_compare", slug=two.slug, title=answers.view(two).title, first_slug=one.slug,
        first_title=answers.view(one).title
    )
    _remember(turn, one, two, viewed=question.viewed)
    return turn


def _no_occupation(turn: Turn, topic: str, question: Question, *, session: Session) -> Turn:
    current = get_occupation(question.current, session=session) if question.current else None
    if topic == "politiattest":
        turn.respond("politiattest_general")
        turn.respond("politiattest_own_case")
        if current:
            turn.respond("offer_politiattest_for", slug=current.slug, title=answers.view(current).title)
        return turn
    if topic == "route" and current:
        return _about(turn, topic, current, question)
    if topic == "route":
        turn.respond("route_general")
        turn.respond("praksiskandidat_general")
    turn.respond("ask_occupation")
    turn.slots["awaiting_occupation"] = topic
    return turn


def _unknown(turn: Turn, mention: str, resolution: Resolution, *, session: Session) -> Turn:
    """Never another occupation in its place: «Mente du …?» when something is close, and always a person."""
    suggestions = [o for o in (get_occupation(s, session=session) for s in resolution.suggestions) if o]
    word = mention.strip()[:40]
    buttons = answers.occupation_buttons(suggestions, "ask_occupation_info")
    turn.respond("unknown_did_you_mean" if suggestions else "unknown", buttons=buttons, mention=word)
    turn.slots["unknown_occupation"] = word  # counted for leaders; only the word
    return turn
