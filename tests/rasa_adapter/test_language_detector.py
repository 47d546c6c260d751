"""The language of each message becomes the `language` entity; a choice or one of the ten decides the intent."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_adapter.language_detector import LanguageDetector


def message(text: str, intent: str = "out_of_scope") -> Message:
    found = Message({TEXT: text})
    found.set(INTENT, {"name": intent, "confidence": 0.5})
    return found


def languages(found: Message) -> list[str]:
    return [e["value"] for e in found.get(ENTITIES) or [] if e["entity"] == "language"]


def test_a_clear_english_message_fills_the_slot_and_keeps_its_intent():
    english = message("how do I become an electrician after prison", "ask_education_path")
    LanguageDetector().process([english])
    assert languages(english) == ["en"]
    assert english.get(INTENT)["name"] == "ask_education_path"


def test_a_named_language_is_a_choice():
    choice = message("English please")
    back = message("på norsk takk")
    LanguageDetector().process([choice, back])
    assert (languages(choice), choice.get(INTENT)) == (["en"], {"name": "set_language", "confidence": 1.0})
    assert (languages(back), back.get(INTENT)["name"]) == (["nb"], "set_language")


def test_one_of_the_ten_opens_the_way_in_and_a_crisis_stays_a_crisis():
    polish = message("Nie rozumiem, potrzebuję pomocy z pracą")
    crisis = message("chcę umrzeć, nie chcę żyć", "express_crisis")
    LanguageDetector().process([polish, crisis])
    assert (languages(polish), polish.get(INTENT)["name"]) == (["pl"], "other_language")
    assert (languages(crisis), crisis.get(INTENT)["name"]) == (["pl"], "express_crisis")


def test_short_or_unclear_messages_leave_the_language_alone():
    for text in ("ja", "ok", "yes", "tømrer", "", "👍"):
        found = message(text, "affirm")
        LanguageDetector().process([found])
        assert languages(found) == [] and found.get(INTENT)["name"] == "affirm"
