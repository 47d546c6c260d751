"""What the kiosk client says on its own: Norwegian, with English where a newcomer needs it to get started."""

from __future__ import annotations

WELCOME = "Velkommen til Veivalg. Skriv hei for å begynne. (English: write hello.)"
HELP = "Skriv nummeret eller en melding. Ctrl-C avslutter."
TITLE = "Veivalg – en chatbot for jobb og skole"
TYPING = "Veivalg skriver …"
WARNING = "Er du der? Samtalen slettes om {seconds} sekunder. Trykk en tast for å fortsette."
PLAIN_WARNING = "Er du der? Samtalen slettes snart. Trykk Enter for å fortsette."
WIPED = "Samtalen ble slettet fordi ingen skrev på en stund."
GONE = "Samtalen ble avsluttet. Skriv hei for å begynne på nytt."
LOST = "Mistet kontakten med Veivalg. Prøver igjen …"
OFFLINE = "Får ikke kontakt med Veivalg. Prøv igjen om litt, eller si fra til en ansatt."
NO_GATEWAY = "Får ikke kontakt med Veivalg på {url}.\nStart Veivalg med «make run», og prøv igjen."
GOODBYE = "Ha det bra!"
LABELS = {"user": "Du", "bot": "Veivalg", "counsellor": "Karriereveileder"}
# When the bot writes English (each bot message says so), the labels follow.
LABELS_EN = {"user": "You", "bot": "Veivalg", "counsellor": "Career counsellor"}
TITLE_EN = "Veivalg – a chatbot for work and school"
HELP_EN = "Type the number or a message. Ctrl-C ends."
QUIT_WORDS = {"/avslutt", "/quit", "/exit"}
