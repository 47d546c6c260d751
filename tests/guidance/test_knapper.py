from __future__ import annotations

import pytest

from bot.guidance import knapper

KEYS = [k for k in knapper.KNAPP_INTENTS.values() if k != "transition"]


def _all_texts(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _all_texts(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _all_texts(inner, f"{path}[{index}]")


@pytest.mark.parametrize(("path", "text"), list(_all_texts(knapper.texts())))
def test_every_text_is_short_with_at_most_one_question(path: str, text: str):
    assert len(text) <= 300, path
    assert text.count("?") <= 1, path


@pytest.mark.parametrize("key", KEYS)
def test_each_knapp_explains_itself_and_asks_three_to_five_open_questions(key: str):
    data = knapper.knapp(key)

    assert data["title"] and data["explanation"]
    assert 3 <= len(data["questions"]) <= 5
    for entry in data["questions"]:
        assert entry["text"].endswith("?") and entry["easier"] and "{answer_short}" in entry["acknowledge"]
    assert knapper.steps(key)[-2:] == ["take_with_you", "next_step"]


def test_the_five_knapper_are_the_frameworks_own():
    titles = [knapper.knapp(k)["title"] for k in KEYS]
    assert titles == ["Meg i kontekst", "Muligheter og begrensninger", "Valg og tilfeldigheter",
                      "Endring og stabilitet", "Tilpasning og motstand"]


def test_the_transition_asks_what_when_who_decided_worries_and_hopes():
    assert knapper.steps("transition") == ["kind", "when", "chosen", "worry", "look_forward"]
    assert [b["title"] for b in knapper.buttons("transition", 0)][:5] == [
        "Løslatelse", "Åpen soning", "Fotlenke", "Skole", "Noe annet"]


def test_the_answer_is_reflected_back_without_phone_numbers_or_email():
    text = knapper.acknowledge("self_in_context", 0, "familien min, ring meg på 912 34 567 eller ola@example.no")
    assert text is not None

    assert "familien min" in text
    assert "912" not in text and "@" not in text


def test_long_answers_are_shortened():
    short = knapper.short_answer("jeg " * 50)

    assert len(short) <= knapper.ANSWER_SHORT + 2 and short.endswith("…")


def test_progress_is_kept_per_knapp_and_skips_count_as_answered():
    answers = knapper.record(None, "choice_and_chance", 0, "skolen")
    answers = knapper.record(answers, "choice_and_chance", 1, None)

    assert knapper.answered_steps(answers, "choice_and_chance") == 2
    assert knapper.answered_steps(answers, "self_in_context") == 0
    assert knapper.question("choice_and_chance", 2) == knapper.knapp("choice_and_chance")["questions"][2]["text"]


def test_finishing_again_keeps_the_earlier_answers():
    answers = {"self_in_context": {"next_step": "snakke med skolen"}}

    archived = knapper.archive(answers, "self_in_context")

    assert "self_in_context" not in archived
    assert archived["earlier"] == [{"knapp": "self_in_context", "next_step": "snakke med skolen"}]


def test_a_knapp_taken_a_second_time_keeps_the_first_round_and_records_the_new_answers():
    first = knapper.record(None, "self_in_context", 0, "familien")
    archived = knapper.archive(first, "self_in_context")

    again = knapper.record(archived, "self_in_context", 0, "jobb og ro i hodet")

    assert again["earlier"] == [{"knapp": "self_in_context", "what_matters": "familien"}]
    assert again["self_in_context"] == {"what_matters": "jobb og ro i hodet"}
