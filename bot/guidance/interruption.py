"""A request inside a form: the form pauses, the request is handled, then the user may go back to it."""

from __future__ import annotations

import re

from bot.text.folding import fold

# The forms a request can pause; each can be taken up again where it stopped (its slots keep the answers).
PAUSABLE = ("knapp_form", "interest_form", "plan_edit_form", "handover_form", "rating_form")
# The intents that are requests wherever they come: no form reads them as an answer (domain.yml's
# `not_intent` lists; tests/guidance/test_interruption.py checks every form).
REQUESTS = ("request_human", "express_crisis", "ask_help", "ask_privacy", "delete_my_data",
            "request_summary", "edit_plan", "resume_form", "set_language", "other_language")
DECLINED = "declined"
NOTHING = "nothing"
# With nothing paused, what follows a handled request is what followed it before: the menu after help,
# nothing more after «min plan» or a handover (they end with their own choices), else «anything else?».
AFTER_WITH_NOTHING_PAUSED = {
    "utter_help": "utter_menu",
    "action_show_plan": None,
    "action_request_handover": None,
    "action_apply_plan_edit": None,
    "utter_language_chosen": "utter_menu",
}
DEFAULT_AFTER = "utter_anything_else"


def form_to_pause(active_loop: str | None) -> str | None:
    """The form a request pauses: the active one, when it is one that can be taken up again."""
    return active_loop if active_loop in PAUSABLE else None


def offers_resume(paused: str | None) -> bool:
    """Whether the turn ends with the offer to go back to the paused form (action_offer_resume)."""
    return paused in PAUSABLE


def offer_after(paused: str | None, previous_action: str | None) -> str | None:
    """The response that follows a handled request: the offer to go back, or what usually follows."""
    if offers_resume(paused):
        return "utter_offer_resume"
    return AFTER_WITH_NOTHING_PAUSED.get(previous_action or "", DEFAULT_AFTER)


def resume_choice(paused: str | None, active: str | None = None) -> str:
    """The value of the `resuming` slot on yes or «fortsett»: the paused form, the one still active (its
    question is asked again), or «nothing»."""
    for form in (paused, active):
        if form in PAUSABLE:
            return form
    return NOTHING


def decline_choice(paused: str | None) -> str:
    """The value of the `resuming` slot when the user says no: «declined» a paused form, or «nothing»."""
    return DECLINED if paused in PAUSABLE else NOTHING


# Inside a form most messages are answers, and the intent model sometimes hears a request in one
# («at jeg kan lese bedre» taken as a privacy question). There a request must also say what it asks for.
_PEOPLE = (r"(vakt\w*|betjent\w*|kontaktbetjent\w*|friomsorg\w*|fengsel\w*|politi\w*|guards?|prison|officers?|nan|"
           r"noen|nokon|andre|ansatte|skolen|nav|veileder\w*|advokat\w*|dommer\w*|retten)")
_CUES = {
    "ask_privacy": re.compile(
        r"\b(lagr\w*|hvem|kven|kem|who|personvern|anonym\w*|hemmelig|taushetsplikt|privat\w*|private|privacy|"
        r"konfidensi\w*|confidential|overvak\w*|monitor\w*|navnet mitt|personnummer\w*|sammendrag\w*|logg\w*|"
        r"journal\w*|mapp\w*|saken min|retten|mot meg|against me|opplysning\w*|dataene?|stored?|keep|kept|"
        r"beholder|(tar|tek|ta) (\w+ )?vare pa|tilgang|access|trygt|safe|secret|sendt til|videre til|havner|"
        r"(ser|se|leser|lese|les|read|reads|see|sees|vet|veit|far|knows?) (\w+ ){0,2}" + _PEOPLE + r"|"
        + _PEOPLE + r" (\w+ ){0,2}(ser|se|leser|lese|les|read|see|vet|veit|far vite|far se|far lese)|"
        r"(lese|les|leser|read) (dette|det|chatten|samtalen|this|it)|kriminalomsorg\w*|friomsorg\w*|miljoterapeut\w*|"
        r"(skjer|happens) med (det|dette|samtalen)|det (jeg|eg|ae|e|i) skriv\w*|what i write)\b"),
    "delete_my_data": re.compile(
        r"\b(slett\w*|slet|delete|erase|wipe|visk\w* ut|kast\w* alt|fjern\w* (alt|hele|samtalen|chatten|"
        r"meldinge\w*|det (jeg|ae|e|eg)|\w*data\w*|opplysning\w*)|(ta|tar) (bort|vekk) (alt|hele|samtalen|chatten|"
        r"det (jeg|ae|e|eg))|vekk med alt|glem\w* (alt|meg|det|hele|samtalen)|forget (me|everything|this|it)|"
        r"remove (my|everything|this))\b"
        r"(?! (gjeld\w*|dom\w*|rulleblad\w*|straff\w*|lan\w*|fortid\w*|tanke\w*))"),
    "request_summary": re.compile(
        r"\b(plan\w*|oppsum\w*|sammendrag\w*|summary|samle det|neste steg\w*|next steps?|"
        r"(hva|kva|ka|what) (har|ble|var|have|did) (vi|jeg|eg|e|ae|we|i) (\w+ ){0,2}(snakk\w*|sagt|skrevet|kommet|"
        r"enige|talked|said|written|agreed|prata)|(hva|kva|ka|what) vi har)\b"),
    "edit_plan": re.compile(
        r"\b(plan\w*|linj\w*|line)\b.*\b(endr\w*|rett\w*|fjern\w*|forandr\w*|bytt\w*|feil|stemmer|riktig|"
        r"slett\w*|bort|vekk|skrive om|edit|change|fix|wrong|remove|korriger\w*|ikke ha med|ikke .{0,10}sta)\b|"
        r"\b(endr\w*|rett\w*|fjern\w*|forandr\w*|bytt\w*|slett\w*|skrive om|ta bort|ta vekk|edit|change|fix|remove|"
        r"korriger\w*)\b.*\b(plan\w*|linj\w*|svar\w*|line|answer)\b|\b(skrev|skreiv|wrote) feil\b|"
        r"\bangrer pa det (jeg|eg) skrev\b|"
        r"\b(feil|stemmer|riktig|ikke ha med|ikke .{0,12}sta)\b.*\b(plan\w*|linj\w*)\b"),
    "ask_help": re.compile(
        r"(^\W*((jeg |eg )?(trenger|treng|vil ha|need|kan du|kan jeg fa|please) )?(hjelp|help|hjelpe meg|hjeeelp\w*)"
        r"( (meg|me|please|pls|takk|na|no|her|oss))?\W*$|\bhjelp\w*\W+(hva|hvordan|korleis|meg a komme|"
        r"meg med a bruke|med a bruke)|"
        r"\b(hva|kva|ka|what) (kan|can|gjor|does|do) (du|jeg|eg|e|ae|i|you|denne|dette|den)\b|"
        r"\b(hvordan|hvordn|korleis|koss|assen|how) (\w+ )?(bruk\w*|funk\w*|virk\w*|fungerer|velg\w*|gar jeg|kjem eg|"
        r"kommer jeg|begynn\w*|start\w*|skal jeg|do i|does)\b|\b(skjonn\w*|forsta\w*|forstar|understand) (ikke|ikkje|"
        r"itj|not|ingenting)|\bforklar\w*|\bmeny\w*|\bvalg(ene)?\b|\binstruks\w*|\bnoe annet\b|\bsomething else\b|"
        r"\bhva (er|slags) (veivalg|dette|denne|karriereknapp\w*|poenget|hensikten|sporsmal|hjelp|ting)|\btil for\b|"
        r"\blaget for\b|\b(boten|chatten|tjenesten|programmet|tingen)\b|"
        r"\b(vet|veit) (ikke|ikkje) (hva|kva|ka|hvordan) (jeg|eg|e|ae) (skal|bruker)|\bhvor (starter|begynner|skal jeg "
        r"trykke)|\b(start\w*|begynn\w*) pa nytt|\btrykk\w*|\bknapp\w*|\b(hva|kva|ka) (er|e) (dette|det|du)\b|"
        r"\bwhat (is|are) (this|you)\b|\b(poenget|meningen) med\b|\bvis meg hva du\b|\bhvilke ting\b|"
        r"\b(hva|kva|ka) (\w+ ){0,4}(kan|skal) (jeg|eg|e|ae) (gjore|sporre|skrive)\b|\bwhat .{0,20}\bfor\b|"
        r"\bhow (this|it) works|\b(hva|kva|ka) (\w+ )?hjelper du\b|\bhva er mulig)"),
    "resume_form": re.compile(
        r"\b(fortset\w*|fortsaet\w*|continue|tilbake|back|der (vi|jeg|eg|du) (var|slapp)|hald\w* fram|holdt pa med|"
        r"keep going)\b"),
    "goodbye": re.compile(
        r"\b(ha det|hadet|ha de|stopp\w*|stop|avslutt\w*|bye|goodbye|snakkes|hores|god natt|natta|"
        r"ma (ga|stikke|logge)|logge av|nok for i dag|ferdig for i dag|slutte her|slutt her|cya|see you|that s enough|"
        r"takk for (na|praten|hjelpa|hjelpen|i dag)|sees|ses|see (ya|u)|morna|adjo|farvel|adios|cu|ttyl|"
        r"logg\w* (av|ut)|det var alt|slutt for i dag|stikker|fin dag)\b"),
    "request_human": re.compile(
        r"(\w*(veileder|veilder|rettleiar|radgiver|radgjevar|karrieresenter)\w*|\b(person\w*|menneske\w*|menneke|"
        r"ansatt\w*|human|counsel\w*|ekte|fagperson|pa ordentlig|ring\w* meg|call me|kontakt\w*|"
        r"time med|(snakke|prate|snakk|prat|talk) (med|to|with) (noen|en|ein|nan|nokon|someone|somebody|a)|"
        r"noen (ringe|ta kontakt|komme|fra))\b|"
        # a teacher is someone to talk to only when the message says so: «lage cv med læreren» is an answer
        r"\b(snakke|prate|snakk|prat|talk|mote|treffe|fa hjelp) (med|to|with|av|fra) (en |ein |min |mi |the |a )?"
        r"(laerer\w*|teacher))"),
}


# Inside a form these intents must show their words to count: the requests above and leaving.
CUED = (*REQUESTS, "goodbye")


def looks_like_request(intent: str | None, text: str | None) -> bool:
    """True when a message the model took for a request also says what it asks for, or is a button."""
    if not text or text.startswith("/") or intent not in _CUES:
        return True
    return _CUES[intent].search(fold(text)) is not None
