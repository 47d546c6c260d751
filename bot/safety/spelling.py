"""One spelling for the safety net: missing æøå, dialect and nynorsk forms written the same way."""

from __future__ import annotations

import re

from bot.text.folding import normalise

# Whole words only, after lower case and æ -> ae, ø -> o, å -> a. Forms that mean one thing in every
# register; ambiguous ones («e» is both «jeg» and «er», «no» is both «nå» and English) stay as written
# and the patterns list them where they belong.
WORDS = {
    "jeg": ("eg", "jae", "aeg", "jei", "jg", "jej", "ej", "ae", "je", "jaeg"),
    "meg": ("mae", "mei", "mej", "mg", "meh"),
    "deg": ("dae", "dei_"),
    "ikke": ("ikkje", "itj", "ikk", "ikkj", "ente", "inte", "ike", "ikek", "ikkee", "ik", "ikje", "isje", "ittj"),
    "selv": ("sjol", "sjolv", "sjael", "sjoel", "selve_"),
    "skal": ("ska", "skall", "skl"),
    "vil": ("vill_",),
    "hva": ("ka", "kva", "va_"),
    "hvorfor": ("korfor", "kvifor", "hvorfo", "hvofor", "vorfor"),
    "hvor": ("kor", "kvar", "hvar"),
    "noen": ("nokon", "nokken", "noken", "nogen", "noon", "nan", "non", "nakka_"),
    "ingen": ("ingenting_",),
    "bare": ("berre", "bære", "baere", "bar_"),
    "vaere": ("vere", "vaera", "vare_", "vaer", "vera"),
    "leve": ("levve", "leva", "lev"),
    "do": ("doy", "doe", "dau_", "daue", "doi"),
    "dod": ("daud", "dau", "daude", "dodd_"),
    "lenger": ("lengre", "lengar", "lengere", "lenge_"),
    "mer": ("meir", "meire", "mere"),
    "til": ("te", "tel", "till"),
    "a": ("aa", "o_"),
    "na": ("naa", "nu"),
    "ihjel": ("ihjael", "ihjaell", "ihel", "ihjell"),
    "hele": ("heile", "hel_"),
    "savne": ("sakne", "sakna", "savna", "sakn"),
    "glem": ("gloym", "glom"),
    "tenker": ("tenkjer", "tenke", "tenkær", "tenkaer", "tenkr"),
    "kommer": ("kjem", "kjaem", "kommr", "kjæm", "kome_"),
    "hjem": ("heim", "hjaem", "hjemm"),
    "hjemme": ("heime", "hjaemme", "hjemm_"),
    "morgen": ("marra", "morra", "moran", "morgon", "mara"),
    "vakne": ("vakn", "vaakne", "vokne", "vakkne"),
    "kverke": ("kverk",),
    "fremtid": ("framtid", "fremtidd", "framtidd"),
    "fremtiden": ("framtida", "framtiden", "fremtida"),
    "orker": ("orka", "orkar", "orke"),
    "klarer": ("klare", "klarar", "klara"),
    "gidder": ("gidd", "gidda", "gide"),
    "skade": ("skae", "skda", "sakde"),
}
TOKEN = re.compile(r"[a-z0-9]+")
# Laughing faces say «joking» as clearly as «haha» does; the patterns see them as that word.
LAUGHTER = re.compile("[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F604\U0001F601\U0001F600\U0001F603"
                      "\U0001F61C\U0001F61D\U0001F61B\U0001F643\U0001F639\U0001F92A]|\\bxd\\b", re.IGNORECASE)
LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ö": "o", "ä": "ae", "ü": "u"})
_CANONICAL = {form: word for word, forms in WORDS.items() for form in forms if not form.endswith("_")}


def ascii_fold(text: str) -> str:
    """Lower case, no punctuation, æ ø å é written ae o a e; nothing else changed."""
    text = normalise(LAUGHTER.sub(" haha ", text))
    return text.translate(LETTERS)


def canonical(text: str) -> str:
    """The message with the words above written one way; «noen» and «poeng» stay whole."""
    return " ".join(_CANONICAL.get(token, token) for token in TOKEN.findall(ascii_fold(text)))


def spellings(text: str) -> tuple[str, ...]:
    """The canonical message, and a second reading where «aa» and «oe» stood for «å» and «ø»."""
    first = canonical(text)
    single = ascii_fold(text).replace("aa", "a").replace("oe", "o")
    doubled = " ".join(_CANONICAL.get(t, t) for t in TOKEN.findall(single))
    return (first,) if doubled == first else (first, doubled)
