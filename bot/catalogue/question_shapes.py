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


def occupation_question_intent(text: str | None) -> str | None:
    """The intent of a question about an occupation the model may not know; None when it is not one."""
    if not text or text.startswith("/") or len(text) > 120:
        return None
    folded = fold(text)
    if _DRIVING.search(folded):
        return POLITIATTEST if _RECORD.search(folded) else ROUTE
    for clause in _CLAUSES.split(text):
        intent = _clause_intent(clause.strip())  # guess_mention drops «da», «egentlig» at the end
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
