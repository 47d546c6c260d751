from __future__ import annotations

from typing import Any

from bot.guidance.plan import plan_messages
from bot.storage.engine import session_factory


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
    from bot.guidance.plan import plan_html

    html = plan_html(["Neste steg: <script>alert(1)</script> & mer"], "25.11.2026")

    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; mer" in html


PLAN_SLOTS: dict[str, Any] = {
    "knapp_answers": {
        "transition": {"kind": "Løslatelse", "when": "i mars"},
        "self_in_context": {"what_matters": "familien", "take_with_you": "jeg kan mer", "next_step": "ringe NAV"},
        "earlier": [{"knapp": "choice_and_chance", "take_with_you": "tilfeldigheter teller", "next_step": None}],
    },
    "occupations_viewed": ["tomrer", "kokk"],
    "interest_profile": "RS",
}


def test_every_plan_line_can_be_pointed_at(catalogue_db):
    from bot.guidance.plan import plan_lines

    with session_factory().begin() as session:
        lines = plan_lines(PLAN_SLOTS, session=session)

    assert [line.text for line in lines] == [
        "En overgang som kommer: Overgang: Løslatelse",
        "En overgang som kommer: Når: i mars",
        "Meg i kontekst: familien",
        "Meg i kontekst: Tar med meg: jeg kan mer",
        "Meg i kontekst: Neste steg: ringe NAV",
        "Valg og tilfeldigheter: Tar med meg: tilfeldigheter teller",
        "Yrke: Tømrer",
        "Yrke: Kokk",
        "Interesser: jeg liker å jobbe med hendene og hjelpe andre",
    ]
    assert len({line.ref for line in lines}) == len(lines)


def test_a_line_is_rewritten_or_removed_in_the_slots_and_the_plan_follows(catalogue_db):
    from bot.guidance.plan import edit_plan, plan_lines

    with session_factory().begin() as session:
        lines = {line.text: line.ref for line in plan_lines(PLAN_SLOTS, session=session)}
        changed = {**PLAN_SLOTS, **edit_plan(PLAN_SLOTS, lines["Meg i kontekst: familien"], "datteren min")}
        removed = {**changed, **edit_plan(changed, lines["Yrke: Kokk"], None)}
        earlier = {**removed, **edit_plan(removed, lines["Valg og tilfeldigheter: Tar med meg: tilfeldigheter teller"],
                                          None)}
        text = "\n".join(plan_messages(earlier, session=session))

    assert "- datteren min" in text and "familien" not in text
    assert "Yrker jeg har sett på: Tømrer." in text
    assert "tilfeldigheter teller" not in text
    assert earlier["knapp_answers"]["self_in_context"]["what_matters"] == "datteren min"
    assert PLAN_SLOTS["knapp_answers"]["self_in_context"]["what_matters"] == "familien"  # the input is not changed


def test_removing_the_interests_clears_the_profile():
    from bot.guidance.plan import edit_plan

    assert edit_plan(PLAN_SLOTS, "i", None) == {"interest_profile": None, "interest_scores": None}
