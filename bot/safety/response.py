"""What Veivalg says and flags at each safety level, for a prison terminal or the web widget."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.safety.assessment import CRISIS, POSSIBLE, REASONS, THREAT
from bot.safety.spelling import canonical

PRISON = "prison"
WEB = "web"
# The widget's conversation ids start with «w-»; every other client is a terminal in a prison, the safe default.
WEB_PREFIX = "w-"

RESPONSES: dict[tuple[str, str], tuple[str, ...]] = {
    (CRISIS, PRISON): ("utter_crisis_care", "utter_crisis_staff", "utter_crisis_helplines", "utter_crisis_stay"),
    (CRISIS, WEB): ("utter_crisis_care", "utter_crisis_urgent_web", "utter_crisis_helplines_web", "utter_crisis_stay"),
    (THREAT, PRISON): ("utter_threat_calm", "utter_threat_staff", "utter_threat_stay"),
    (THREAT, WEB): ("utter_threat_calm", "utter_threat_urgent_web", "utter_threat_stay"),
    (POSSIBLE, PRISON): ("utter_safety_check",),
    (POSSIBLE, WEB): ("utter_safety_check",),
}
# Whether the queue entry is urgent; an urgent level also stops a form in progress.
URGENT = {CRISIS: True, THREAT: True, POSSIBLE: False}

# Answers to «tenker du på å ta livet ditt eller skade deg selv?». «Kanskje» and «vet ikke» count as yes:
# crisis lines treat an unsure answer as a yes.
YES = re.compile(r"^(?:ja|jo|jepp|jupp|ja det gjor jeg|ja jeg gjor det|ja egentlig|litt|kanskje|vet ikke|veit ikke|"
                 r"yes|yeah|yep|maybe|i think so|sometimes|noen ganger|av og til|ja av og til|ja litt)\b")
NO = re.compile(r"^(?:nei|nope|no|nah|ikke det|nei da|neida|nei det gjor jeg ikke|nei ikke i det hele tatt|"
                r"absolutt ikke|not at all|no i dont|no i m not|no im not|slett ikke|nei jeg har det bra|"
                r"nei ikke na)\b")


def setting_of(sender_id: str, metadata: Mapping[str, Any] | None = None) -> str:
    """«web» for the widget, «prison» for a terminal and anything unknown."""
    channel = str((metadata or {}).get("channel") or "")
    if channel == "widget" or (not channel and sender_id.startswith(WEB_PREFIX)):
        return WEB
    return PRISON


def responses_for(level: str, setting: str) -> tuple[str, ...]:
    """The responses to send, in order."""
    return RESPONSES[(level, setting if setting in (PRISON, WEB) else PRISON)]


def reason_for(level: str) -> str:
    """The queue reason counsellors see: «Krise», «Trussel» or «Spurt om krise»."""
    return REASONS[level]


def answer_to_check(text: str | None, intent: str | None) -> str:
    """«yes», «no» or «unclear» for the answer to the direct question."""
    if intent == "affirm":
        return "yes"
    if intent == "deny":
        return "no"
    spelt = canonical(text or "")
    if NO.match(spelt):
        return "no"
    if YES.match(spelt):
        return "yes"
    return "unclear"
