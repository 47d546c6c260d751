"""One spelling for the safety net: dialect and missing æøå written one way, and no word destroyed."""

from __future__ import annotations

import pytest

from bot.safety.spelling import canonical, spellings


@pytest.mark.parametrize(("text", "expected"), [
    ("Æ vil itj leve", "jeg vil ikke leve"),
    ("eg orkar ikkje meir", "jeg orker ikke mer"),
    ("vil skade mæ sjøl", "vil skade meg selv"),
    ("ska ta livet a mæ", "skal ta livet a meg"),
    ("Jeg vil dø!!!", "jeg vil do"),
])
def test_dialect_and_missing_letters_are_written_one_way(text: str, expected: str):
    assert canonical(text) == expected


def test_noen_noe_and_poeng_stay_whole_in_the_first_reading():
    first, *_ = spellings("kommer til å skade noen, ikke noe poeng i å leve")
    assert "skade noen" in first and "noe poeng" in first


def test_a_second_reading_takes_aa_and_oe_for_the_missing_letters():
    assert spellings("jeg vil doe naa") == ("jeg vil do na",)
    assert spellings("alt er moerkt") == ("alt er moerkt", "alt er morkt")
    assert spellings("hei") == ("hei",)
