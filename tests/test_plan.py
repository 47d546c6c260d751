from __future__ import annotations

from bot.db import session_factory
from bot.plan import plan_messages


def test_an_empty_plan_says_how_to_start(catalogue_db):
    with session_factory().begin() as session:
        messages = plan_messages({}, session=session)

    assert messages == ["Planen din er tom ennå. Velg en knapp i menyen for å begynne, så fyller vi den sammen."]


def test_the_plan_uses_the_users_own_words(catalogue_db):
    slots = {
        "knapp_answers": {
            "transition": {"kind": "Løslatelse", "when": "i mars", "worry": "bolig"},
            "self_in_context": {"what_matters": "å være der for datteren min", "who_influences": None,
                                "take_with_you": "jeg kan mer enn jeg tror", "next_step": "spørre skolen om fagbrev"},
        },
        "occupations_viewed": ["tomrer", "kokk"],
        "interest_profile": "RS",
    }
    with session_factory().begin() as session:
        messages = plan_messages(slots, session=session)

    text = "\n".join(messages)
    assert messages[0].startswith("Dette er «min plan», med dine egne ord:")
    assert "En overgang som kommer:\n- Overgang: Løslatelse\n- Når: i mars" in text
    assert "Meg i kontekst:\n- å være der for datteren min" in text
    assert "Tar med meg: jeg kan mer enn jeg tror" in text and "Neste steg: spørre skolen om fagbrev" in text
    assert "Yrker jeg har sett på: Tømrer, Kokk." in text
    assert "Interesser: jeg liker å jobbe med hendene og hjelpe andre." in text
    assert all(len(m) <= 300 for m in messages)


def test_the_printable_page_escapes_what_the_user_wrote():
    from bot.plan import plan_html

    html = plan_html(["Neste steg: <script>alert(1)</script> & mer"], "25.11.2026")

    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; mer" in html
