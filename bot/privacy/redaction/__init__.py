"""Redaction: personal data removed from Veivalg's transcripts before they are stored.

Names, fødselsnummer/D-nummer, phone numbers, e-mail and street addresses and licence plates are
replaced with Norwegian markers («[navn]», «[telefon]» …). Built on Presidio, python-stdnum and
phonenumbers; works offline.
"""

from __future__ import annotations

from bot.privacy.redaction.events import redact_event_data
from bot.privacy.redaction.kinds import (
    ADDRESS,
    EMAIL,
    FODSELSNUMMER,
    LICENCE_PLATE,
    MARKER_ADDRESS,
    MARKER_EMAIL,
    MARKER_FODSELSNUMMER,
    MARKER_LICENCE_PLATE,
    MARKER_NAME,
    MARKER_PHONE,
    MARKERS,
    PERSON,
    PHONE,
    Finding,
)
from bot.privacy.redaction.redactor import Redactor, build_redactor, get_redactor, redact_text

__all__ = [
    "ADDRESS",
    "EMAIL",
    "FODSELSNUMMER",
    "LICENCE_PLATE",
    "MARKERS",
    "MARKER_ADDRESS",
    "MARKER_EMAIL",
    "MARKER_FODSELSNUMMER",
    "MARKER_LICENCE_PLATE",
    "MARKER_NAME",
    "MARKER_PHONE",
    "PERSON",
    "PHONE",
    "Finding",
    "Redactor",
    "build_redactor",
    "get_redactor",
    "redact_event_data",
    "redact_text",
]
