"""The shape of an occupation question, whatever the occupation: «hva gjør en X», «hvordan blir jeg X»."""

from __future__ import annotations

import re

from bot.catalogue.resolver import DRIVE_VERB, guess_mention
from bot.text.folding import fold

INFO, ROUTE, POLITIATTEST = "ask_occupation_info", "ask_education_path", "ask_politiattest"
_SHAPES = (
    (POLITIATTEST, re.compile(r"\bpolitiattest\b")),
    (INFO, re.compile(r"^(hva|ka|kva|kor|hvor mye) (tjener|tjenar|tener|tjen|far|tjene)\b")),
    (INFO, re.compile(r"^(tjener|tjenar|tener|far) (man|en|jeg|eg|du|folk|dei|de) (\w+ )?(som|i|pa)\b")),
    (ROUTE, re.compile(r"^(hvordan|korleis|kordan|assen|hvorden|how) (blir|bli|vert|verte|become|can)\b")),
    (ROUTE, re.compile(r"^(kan|kann|ka) (jeg|eg|ae|e|man|en|i) (bli|verte|ta utdanning som|utdanne meg til)\b")),
    (INFO, re.compile(r"^(hva|ka|kva|what) (gjor|gjer|driv|driver|does|do)\b")),
    (INFO, re.compile(r"^(hva er|ka e|kva er|what is) (en|ei|et|ein|eit|a|an)\b")),
    (ROUTE, re.compile(r"^(finnes|fins|finst|er|is|are) (det|der|there) (noen |noe |ei |en |any |an? )?"
                       r"(utdanning\w*|utdannelse\w*|skole\w*|kurs|studie\w*|linje|education|course\w*|school)"
                       r" (til|for|som|to become|to be)\b")),
)
# «Jeg vil bli X» is about an occupation only when X looks like one («mekaniker», «kokk»), not «bedre» or «frisk».
_WISH = re.compile(r"\b(vil|ville|onsker a|onsker|har lyst til a|har lyst a|lyst a|drommer om a|want to|wanna|"
                   r"for a|for aa) "
                   r"(bli|verte|jobbe som|jobba som|become|be a|be an|work as)\b")
_LOOKS_LIKE_AN_OCCUPATION = re.compile(r"(er|ar|or|ist|ent|log|graf|kokk|tolk|vakt|smed|lege|sjef|dj)$")


# «haha ok. hva gjør en fotograf da», «tjener man bra som lege eller er det bare noe folk sier»: each
# sentence or «eller»-part is tried on its own, the way a person reads it.
_CLAUSES = re.compile(r"[.!?;]+|,| eller | or ")


# «Vil kjøre lastebil når jeg slipper ut», «kjøre taxi, men har jo dom»: driving a vehicle for a living is
# an occupation; with a sentence or a record in it, the question is about the politiattest.
_DRIVING = re.compile(r"\b" + DRIVE_VERB + r"\s+(en\s+|ei\s+)?(lastebil|trailer|vogntog|taxi|drosje|"
                      r"buss|truck|gravemaskin|anleggsmaskin|hjullaster|traktor|ambulanse|trikk|tog|varebil)\w*\b")
_RECORD = re.compile(r"\b(dom|dommen|straff\w*|rulleblad\w*|attest\w*|reaksjon\w*|record|convict\w*)\b")


# «Nei vent, jeg mente murer»: a correction names the occupation the user meant.
_CORRECTION = re.compile(r"\b(jeg mente|eg meinte|ae mente|e mente|i meant|meant|mente|meinte|jeg mener|eg meiner)\s+"
                         r"(?:en\s+|ei\s+|et\s+|a\s+|an\s+)?([a-z][a-z-]{2,})\s*$")
# «Tatovør. Hva må man kunne for å jobbe med det?»: a name on its own, then a question about «det».
_ABOUT_IT = re.compile(r"^(hva|ka|kva|hvordan|korleis|kordan|what|how|kan)\b.*\b(det|den|dette|that|it)$")


def occupation_question_intent(text: str | None) -> str | None:
    """The intent of a question about an occupation the model may not know; None when it is not one."""
    if not text or text.startswith("/") or len(text) > 120:
        return None
    folded = fold(text)
    if _DRIVING.search(folded):
        return POLITIATTEST if _RECORD.search(folded) else ROUTE
    clauses = [clause.strip() for clause in _CLAUSES.split(text) if clause.strip()]
    for clause in clauses:
        correction = _CORRECTION.search(fold(clause))
        if correction and _LOOKS_LIKE_AN_OCCUPATION.search(correction.group(2)):
            return INFO
    named_first = len(clauses) >= 2 and len(clauses[0].split()) <= 2
    if named_first and _ABOUT_IT.search(fold(clauses[1])) and _LOOKS_LIKE_AN_OCCUPATION.search(fold(clauses[0])):
        return ROUTE if fold(clauses[1]).startswith(("hvordan", "korleis", "kordan", "how")) else INFO
    for clause in clauses:
        intent = _clause_intent(clause)  # guess_mention drops «da», «egentlig» at the end
        if intent is not None:
            return intent
    return None


def _clause_intent(text: str) -> str | None:
    if not text:
        return None
    folded = fold(text)
    mention = guess_mention(text)
    if mention is None:
        return None
    for intent, shape in _SHAPES:
        if shape.search(folded):
            return intent
    if _WISH.search(folded) and _LOOKS_LIKE_AN_OCCUPATION.search(mention):
        return ROUTE
    return None
