"""The assessment: patterns first, the classifier and the intent model can only ask the direct question."""

from __future__ import annotations

from bot.safety.assessment import CRISIS, MODEL_GUESS_FLOOR, POSSIBLE, THREAT, assess, level_of_message
from bot.safety.classifier import POSSIBLE_THRESHOLD, signal_probability
from bot.safety.patterns import matching_level


def test_clear_phrases_come_from_the_patterns():
    assert assess("jeg vil ta livet mitt").level == CRISIS
    assert assess("jeg skal drepe betjenten").level == THREAT
    assert assess("jeg vil ta livet mitt").urgent and not assess("orker ikke mer").urgent


def test_the_intent_models_crisis_guess_becomes_a_question_never_silence():
    text = "det er noe jeg må si"
    assert signal_probability(text) < POSSIBLE_THRESHOLD - 0.2, "the margin this test relies on"
    assert assess(text).level is None
    judged = assess(text, model_says_crisis=True)
    assert (judged.level, judged.source) == (POSSIBLE, "intent_model")


def test_the_classifier_asks_when_it_is_clearly_above_its_threshold():
    text = "alt kjennes tomt og mørkt"
    assert matching_level(text) is None, "no pattern: this is the classifier's own call"
    assert signal_probability(text) > POSSIBLE_THRESHOLD + 0.05, "the margin this test relies on"
    judged = assess(text)
    assert (judged.level, judged.source) == (POSSIBLE, "classifier")
    plain = "hva tjener en elektriker"
    assert signal_probability(plain) < POSSIBLE_THRESHOLD - 0.3
    assert assess(plain).level is None


def test_the_level_on_a_message_comes_from_the_safety_net_when_it_saw_the_message():
    parse = {"text": "jeg vil ta livet mitt", "intent": {"name": "greet"}, "safety": {"level": None}}
    assert level_of_message(parse) is None, "the net's own reading wins over the text"


def test_a_message_the_net_did_not_see_is_judged_from_its_text():
    assert level_of_message({"text": "jeg vil ta livet mitt", "intent": {"name": "greet"}}) == CRISIS
    assert level_of_message({"text": "hva tjener en elektriker", "intent": {"name": "ask_pay"}}) is None


def test_without_text_a_crisis_intent_still_gets_care():
    assert level_of_message({"intent": {"name": "express_crisis"}}) == CRISIS
    assert level_of_message({"intent": {"name": "greet"}}) is None


def test_the_intent_models_guess_alone_asks_nothing_when_the_message_carries_no_sign_at_all():
    text = "jeg kan mer enn jeg trodde"
    assert signal_probability(text) < MODEL_GUESS_FLOOR / 2, "the margin this test relies on"
    assert assess(text, model_says_crisis=True).level is None


def test_a_crisis_word_of_one_of_the_ten_languages_is_a_crisis():
    from bot.safety.assessment import CRISIS, assess

    polish = assess("nie wiem, chcę umrzeć")
    arabic = assess("أريد أن أنتحر")
    assert (polish.level, polish.source) == (CRISIS, "language_words")
    assert arabic.level == CRISIS
