"""What redaction finds: the kinds of personal data, their Norwegian markers, and one finding."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "PERSON"
FODSELSNUMMER = "NO_FODSELSNUMMER"
PHONE = "PHONE_NUMBER"
EMAIL = "EMAIL_ADDRESS"
ADDRESS = "NO_ADDRESS"
LICENCE_PLATE = "NO_LICENCE_PLATE"

MARKER_NAME = "[navn]"
MARKER_FODSELSNUMMER = "[fødselsnummer]"
MARKER_PHONE = "[telefon]"
MARKER_EMAIL = "[e-post]"
MARKER_ADDRESS = "[adresse]"
MARKER_LICENCE_PLATE = "[bilnummer]"

MARKERS: dict[str, str] = {
    PERSON: MARKER_NAME,
    FODSELSNUMMER: MARKER_FODSELSNUMMER,
    PHONE: MARKER_PHONE,
    EMAIL: MARKER_EMAIL,
    ADDRESS: MARKER_ADDRESS,
    LICENCE_PLATE: MARKER_LICENCE_PLATE,
}

# When findings of different kinds overlap, the joined span gets the first kind in this order.
PRIORITY: tuple[str, ...] = (FODSELSNUMMER, PHONE, EMAIL, ADDRESS, LICENCE_PLATE, PERSON)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: its kind and where it is in the text (end is exclusive)."""

    kind: str
    start: int
    end: int

    @property
    def marker(self) -> str:
        """The Norwegian marker that replaces it, e.g. «[telefon]»."""
        return MARKERS[self.kind]
