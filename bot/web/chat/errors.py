"""The chat API's refusals: a status, a code for the client and a Norwegian message for the user."""

from __future__ import annotations

from fastapi.responses import JSONResponse

TEXTS = {
    "invalid_token": "Samtalen er ikke gyldig lenger. Trykk «Ny samtale» for å begynne på nytt.",
    "origin": "Denne nettsiden har ikke lov til å bruke Veivalg-chatten.",
    "bad_request": "Vi klarte ikke å lese forespørselen. Den må være JSON.",
    "bad_client": "Ukjent klient. Bruk «widget» eller «terminal».",
    "body_too_large": "Forespørselen er for stor.",
    "empty": "Du har ikke skrevet noe ennå. Skriv en melding, eller velg en knapp.",
    "too_long": "Meldingen din er for lang. Kan du skrive det kortere? Del det gjerne opp i flere meldinger.",
    "speech_too_long": "Teksten er for lang til å leses opp.",
    "speech_missing": "Opplesing virker ikke på denne maskinen akkurat nå. Si gjerne fra til en ansatt.",
    "too_many": "Det kom veldig mange meldinger på kort tid. Vent litt, og prøv igjen.",
    "full": "Veivalg har mange samtaler akkurat nå. Prøv igjen om litt.",
    "unavailable": "Veivalg har et teknisk problem akkurat nå. Vent litt, og prøv igjen.",
}


class WidgetApiError(Exception):
    """An API request that gets a JSON error with a Norwegian message."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def error_response(status: int, code: str) -> JSONResponse:
    """`{"error": true, "code": ..., "message": <Norwegian>}` with the given status."""
    return JSONResponse(
        {"error": True, "code": code, "message": TEXTS[code]},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )
