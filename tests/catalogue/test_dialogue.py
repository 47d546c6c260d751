"""Every answer type, and the rules for what users read: short messages, one question, buttons for choices."""

from __future__ import annotations

import re

import pytest

from bot.catalogue import answers
from bot.catalogue.dialogue import Question, answer
from bot.catalogue.loader import DATA_FOLDER
from bot.catalogue.queries import all_occupations
from bot.paths import read_yaml
from bot.storage.engine import session_factory


def ask(intent: str, text: str = "", mentions: tuple[str, ...] = (), **slots) -> tuple[list[str], list, dict]:
    with session_factory().begin() as session:
        turn = answer(Question(intent=intent, text=text, mentions=mentions, **slots), session=session)
    return [m.text for m in turn.messages], [m.buttons for m in turn.messages], turn.slots


def test_every_answer_for_every_occupation_is_easy_to_read(catalogue_db):
    with session_factory().begin() as session:
        for occupation in all_occupations(session=session):
            texts = (
                answers.occupation_info(occupation) + answers.education_route(occupation)
                + answers.politiattest(occupation) + answers.similar(occupation) + answers.pay_answer(occupation)
            )
            for text in texts:
                assert 0 < len(text) <= 300, (occupation.slug, text)
                assert text.count("?") <= 1, (occupation.slug, text)
                assert "{" not in text and "None" not in text, (occupation.slug, text)
                assert ".." not in text and "., " not in text, (occupation.slug, text)  # steps that are sentences


def test_fixed_texts_are_short_and_ask_one_question():
    messages = read_yaml(DATA_FOLDER / "templates" / "messages.yml")
    for key, entry in messages.items():
        assert len(entry["text"]) <= 260, key  # room for a title or mention
        assert entry["text"].count("?") <= 1, key
        for button in entry.get("buttons", []):
            assert re.fullmatch(r"/\w+(\{.*\})?", button["payload"]), key


def test_info_is_short_first_then_offers_route_politiattest_similar_and_compare(catalogue_db):
    texts, buttons, slots = ask("ask_occupation_info", "hva gjør en elektrikar", ("elektrikar",))

    assert texts[0].startswith("En elektriker")
    assert [b["title"] for b in buttons[-1]] == ["Veien dit", "Politiattest", "Lignende yrker", "Sammenlign"]
    assert slots["occupation_slug"] == "elektriker"


def test_the_route_includes_praksiskandidat_and_prison_school(catalogue_db):
    texts, _, _ = ask("ask_education_path", "hvordan blir jeg rørlegger", ("rørlegger",))

    joined = " ".join(texts)
    assert texts[0].startswith("Veien til rørlegger:")
    assert "praksiskandidat" in joined and "skolen i fengselet" in joined


def test_politiattest_names_the_law_and_never_decides_for_the_user(catalogue_db):
    texts, _, _ = ask("ask_politiattest", "kan jeg bli vekter med dom", ("vekter",))

    joined = " ".join(texts)
    assert "vaktvirksomhetsloven" in joined.lower()
    assert "Jeg gir ikke juridiske råd" in joined and "veileder" in joined


def test_a_general_politiattest_question_gets_the_general_answer_and_an_offer(catalogue_db):
    texts, buttons, _ = ask("ask_politiattest", "hva står på politiattesten", current="tomrer")

    assert texts[0].startswith("De fleste jobber krever ikke politiattest")
    assert "politiregisterloven § 36" in texts[0]
    assert buttons[-1][0] == {"title": "Ja, for tømrer", "payload": '/ask_politiattest{"occupation": "tomrer"}'}


def test_an_ambiguous_mention_offers_the_candidates_as_buttons(catalogue_db):
    texts, buttons, slots = ask("ask_education_path", "hvordan blir jeg mekaniker", ("mekaniker",))

    assert texts == ["Hvilket av disse yrkene mener du?"]
    assert 2 <= len(buttons[0]) <= 6
    assert all(b["payload"].startswith('/ask_education_path{"occupation": ') for b in buttons[0])
    assert slots["awaiting_occupation"] == "route"


def test_an_unknown_occupation_is_said_honestly_and_never_invented(catalogue_db):
    texts, buttons, slots = ask("ask_occupation_info", "hva gjør en astronaut", ("astronaut",))

    assert texts == ["Jeg finner ikke «astronaut» blant yrkene jeg kjenner. Jeg vil ikke gjette. "
                     "En veileder kan hjelpe deg videre."]
    assert {"title": "Snakk med en veileder", "payload": "/request_human"} in buttons[0]
    assert "occupation_slug" not in slots


def test_no_occupation_named_asks_which_one(catalogue_db):
    texts, _, slots = ask("ask_occupation_info", "/ask_occupation_info")

    assert texts == ["Hvilket yrke lurer du på? Skriv navnet, for eksempel «tømrer» eller «kokk»."]
    assert slots["awaiting_occupation"] == "info"


def test_compare_two_occupations_side_by_side(catalogue_db):
    texts, _, slots = ask("compare_occupations", "tømrer eller murer", ("tømrer", "murer"))

    assert texts[0].startswith("Tømrer: ") and texts[1].startswith("Murer: ")
    assert all("Utdanning:" in t and "Politiattest:" in t for t in texts[:2])
    assert slots["occupations_viewed"] == ["tomrer", "murer"]


def test_two_names_of_one_occupation_are_said_to_be_the_same_not_compared_with_itself(catalogue_db):
    # the entity values as the NLU gives them: «snekker» is a synonym of «tømrer»
    texts, buttons, slots = ask("compare_occupations", "forskjellen på tømrer og snekker", ("tomrer", "tomrer"),
                                current="kokk")

    assert texts[0] == "Begge navnene du skrev, er samme yrke hos meg: Tømrer."
    assert texts[1].startswith("En tømrer ")
    assert not any(t.startswith("Tømrer: ") for t in texts)  # no side-by-side of the one occupation
    assert texts[-1] == "Hva vil du vite mer om?"
    assert [b["title"] for b in buttons[-1]] == ["Veien dit", "Politiattest", "Lignende yrker", "Sammenlign"]
    assert slots["occupation_slug"] == "tomrer"


def test_compare_with_one_occupation_asks_for_the_other_and_remembers_the_first(catalogue_db):
    texts, _, slots = ask("compare_occupations", "/compare_occupations", ("kokk",), current="kokk")

    assert texts == ["Hvilket yrke vil du sammenligne kokk med?"]
    assert slots == {"awaiting_occupation": "compare", "compare_first": "kokk"}

    texts, _, slots = ask("nlu_fallback", "bakar", (), awaiting="compare", compare_first="kokk")
    assert texts[0].startswith("Kokk: ") and texts[1].startswith("Baker: ")


def test_similar_occupations_are_buttons(catalogue_db):
    texts, buttons, _ = ask("ask_similar_occupations", "lignende yrker", current="tomrer")

    assert texts == ["Yrker som ligner på tømrer:"]
    assert {"title": "Murer", "payload": '/ask_occupation_info{"occupation": "murer"}'} in buttons[0]


@pytest.mark.parametrize(
    ("question", "slug"),
    [
        ("hva gjør en tomrer", "tomrer"),
        ("hvordan blir jeg elektrikker", "elektriker"),
        ("kan eg bli sjukepleiar", "sykepleier"),
        ("fortell om gravemaskinkjører", "anleggsmaskinforer"),
        ("hva gjør en lastebilsjåfør", "yrkessjafor"),
        ("hvordan bli helsefagarbieder", "helsefagarbeider"),
        ("hva gjør en kokk", "kokk"),
        ("hva jobber en frisor med", "frisor"),
        ("hva gjør en vaktmester", "byggdrifter"),
        ("kva gjer ein rørleggar", "rorlegger"),
    ],
)
def test_ten_questions_about_ten_occupations_find_the_right_one(catalogue_db, question: str, slug: str):
    _, _, slots = ask("ask_occupation_info", question)

    assert slots.get("occupation_slug") == slug


def test_a_bare_name_answers_the_waiting_question_whatever_the_nlu_thought(catalogue_db):
    texts, _, slots = ask("compare_occupations", "rorleggar", ("rorleggar",), awaiting="info")

    assert texts[0].startswith("En rørlegger")
    assert slots["occupation_slug"] == "rorlegger"


def test_pay_is_ssbs_figure_with_the_year_and_the_group_it_is_for(catalogue_db):
    texts, _, slots = ask("ask_occupation_info", "hva tjener en rørlegger", ("rørlegger",))

    assert texts[0].startswith("En rørlegger tjener omtrent 49\u00a0170 kroner i måneden før skatt.")
    assert "hele yrkesgruppen «Håndverkere» i 2024" in texts[0] and "(SSB)" in texts[0]
    assert any("lærling" in text for text in texts)  # a trade: how apprentice pay is set
    assert slots["occupation_slug"] == "rorlegger"


def test_pay_for_an_occupation_with_its_own_figure_says_so(catalogue_db):
    texts, _, _ = ask("ask_occupation_info", "hva tjener en lege", ("lege",))

    assert "for yrket «Allmennpraktiserende leger» i 2023" in texts[0]
    assert "hele yrkesgruppen" not in texts[0]


def test_compare_shows_pay_side_by_side(catalogue_db):
    texts, _, _ = ask("compare_occupations", "hva er best betalt, kokk eller baker", ("kokk", "baker"))

    assert texts[0].startswith("Kokk:") and "Lønn: omtrent" in texts[0] and "SSB 2024" in texts[0]
    assert texts[1].startswith("Baker:") and "Lønn: omtrent" in texts[1]


def test_an_occupation_not_in_the_catalogue_is_never_answered_as_another(catalogue_db):
    texts, buttons, slots = ask("ask_occupation_info", "hva gjør en bakerimedarbeider", ("bakerimedarbeider",))

    assert texts == ["Jeg finner ikke «bakerimedarbeider» blant yrkene jeg kjenner, og jeg vil ikke gjette. "
                     "Mente du et av disse?"]
    titles = [b["title"] for b in buttons[0]]
    assert "Baker" in titles and titles[-1] == "Nei, snakk med en veileder" and len(titles) <= 4
    assert "occupation_slug" not in slots and slots["unknown_occupation"] == "bakerimedarbeider"


def test_an_unknown_occupation_with_nothing_close_offers_a_person(catalogue_db):
    texts, buttons, _ = ask("ask_occupation_info", "hva gjør en astronaut")

    assert texts[0].startswith("Jeg finner ikke «astronaut»") and "Mente du" not in texts[0]
    assert buttons[0][0]["title"] == "Snakk med en veileder"


def test_an_occupation_question_that_mentions_getting_out_offers_the_transition_after(catalogue_db):
    with session_factory().begin() as session:
        turn = answer(Question(intent="ask_education_path", text="hvordan blir jeg tømrer når jeg slipper ut",
                               mentions=["tømrer"], transition=True), session=session)

    assert turn.messages[0].text.startswith("Veien til tømrer:")
    offer = turn.messages[-2]
    assert offer.text.startswith("Du nevnte at du snart skal ut.")
    assert offer.buttons == [{"title": "Ja, snakk om overgangen", "payload": "/discuss_transition"}]


def test_a_pay_question_the_model_heard_as_a_route_is_answered_with_pay(catalogue_db):
    texts, _, _ = ask("ask_education_path", "hei! jeg er student og lurer på what's the pay for a nurse i norge",
                      ("nurse",))
    assert any("kr" in text for text in texts), texts
    route, _, _ = ask("ask_education_path", "hvordan blir jeg sykepleier og hva tjener de", ("sykepleier",))
    assert route[0].startswith("Veien til"), route  # a question about the way in stays one


def test_a_part_of_a_name_gives_way_to_the_whole_name_in_the_sentence(catalogue_db):
    """The model marked only «operatør» in «cnc operatør»: the sentence names one occupation, not a choice."""
    texts, _, slots = ask("ask_occupation_info", "hva gjør en cnc operatør egentlig", ("operatør",))
    assert texts[0].startswith("En CNC-operatør"), texts
    assert slots["occupation_slug"] == "cnc-operator"


def test_a_pay_question_with_one_occupation_is_not_a_comparison(catalogue_db):
    texts, _, _ = ask("compare_occupations", "tjener man bra som lege eller er det bare noe folk sier", ("lege",))
    assert "kroner" in texts[0], texts
    compared, _, _ = ask("compare_occupations", "tjener en lege mer enn en sykepleier", ("lege",))
    assert "kroner" not in compared[0], compared  # a comparison asks for the second occupation
