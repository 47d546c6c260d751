"""The conversation benchmark's judge: each outcome type read from what the bot said, the tracker and the queue."""

from __future__ import annotations

from bench.conversations import OUTCOMES, Conversation, Played, judge, load_conversations


def conversation(*turns: str, consent: str | None = "ja", outcome: list[dict] | None = None) -> Conversation:
    return Conversation("x", "theme", "terminal", consent, list(turns), outcome or [])


def test_every_outcome_in_the_benchmark_has_a_judge_and_there_are_enough_conversations():
    conversations = load_conversations()
    assert len(conversations) >= 60
    assert len({c.id for c in conversations}) == len(conversations)
    assert {str(o["type"]) for c in conversations for o in c.outcome} <= set(OUTCOMES)


def test_an_occupation_answer_must_name_it_and_not_be_the_honest_unknown():
    played = Played(conversation("hva gjør en murer", outcome=[{"type": "occupation_answer", "occupation": "murer"}]))
    played.answers = [["En murer bygger og pusser vegger."]]
    assert judge(played) == [("occupation_answer", True)]
    played.answers = [["Jeg finner ikke «murer» blant yrkene jeg kjenner."]]
    assert judge(played) == [("occupation_answer", False)]


def test_an_occupation_answer_may_use_the_catalogues_title_for_the_users_name():
    played = Played(conversation("hva gjør en brannmann",
                                 outcome=[{"type": "occupation_answer", "occupation": "brannmann"}]))
    played.answers = [["En brannkonstabel slukker branner og redder mennesker."]]
    assert judge(played) == [("occupation_answer", True)]
    played.answers = [["En politibetjent etterforsker saker."]]
    assert judge(played) == [("occupation_answer", False)]


def test_deletion_is_read_from_what_the_tracker_kept():
    played = Played(conversation("2", "barna mine", "slett samtalen min", "ja",
                                 outcome=[{"type": "deleted"}, {"type": "not_deleted"}]))
    played.tracker = {"events": [{"event": "user", "text": t} for t in ("hei", "ja", "2", "barna mine", "x", "ja")]}
    assert judge(played) == [("deleted", False), ("not_deleted", True)]
    played.tracker = {"events": [{"event": "user", "text": "ja"}]}
    assert judge(played) == [("deleted", True), ("not_deleted", False)]


def test_a_handover_counts_only_a_request_and_checks_whether_the_summary_was_shared():
    played = Played(conversation("vil snakke med veileder", "nei",
                                 outcome=[{"type": "handover", "shared": False}, {"type": "crisis"}]))
    played.handoffs = [{"reason": "crisis", "urgent": 1, "summary": None}]
    assert judge(played) == [("handover", False), ("crisis", True)]
    played.handoffs.append({"reason": "request", "urgent": 0, "summary": None})
    assert judge(played) == [("handover", True), ("crisis", True)]


def test_language_listen_first_and_no_crash():
    played = Played(conversation("i want to be a welder", consent=None, outcome=[
        {"type": "language", "code": "en"}, {"type": "interest_acknowledged", "interest": "welding"},
        {"type": "no_crash"}]))
    played.answers = [["Welding is a good trade. What do you want to know about it?"]]
    assert judge(played) == [("language", True), ("interest_acknowledged", True), ("no_crash", True)]
    played.answers = [["Setning 1 av 12.", "Du skrev noe jeg ikke forsto."]]
    assert judge(played) == [("language", False), ("interest_acknowledged", False), ("no_crash", True)]
    played.answers = [[]]
    assert judge(played)[2] == ("no_crash", False)


def test_a_conversation_the_bot_stopped_answering_fails_every_outcome():
    played = Played(conversation("hei", outcome=[{"type": "no_crash"}, {"type": "not_deleted"}]))
    played.error = "ReadTimeout after 3 turns"
    assert judge(played) == [("no_crash", False), ("not_deleted", False)]
