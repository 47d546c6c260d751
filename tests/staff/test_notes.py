from __future__ import annotations

import pytest

from bot.staff import notes as store
from bot.staff.notes import AnnotationError
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables


@pytest.fixture
def maker(tmp_path):
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    create_tables(url)
    return session_factory(url)


def test_notes_are_kept_in_order_with_author(maker):
    with maker.begin() as db:
        store.add_note("a", "vera", "  Første notat  ", session=db)
        store.add_note("a", "ola", "Andre", session=db)
        store.add_note("b", "vera", "Annen samtale", session=db)
    with maker.begin() as db:
        notes = store.notes_for("a", session=db)
        assert [(n.author, n.text) for n in notes] == [("vera", "Første notat"), ("ola", "Andre")]


@pytest.mark.parametrize(("text", "message"), [("  ", "tomt"), ("x" * 4001, "for langt")])
def test_empty_and_overlong_notes_are_refused(maker, text, message):
    with maker.begin() as db, pytest.raises(AnnotationError, match=message):
        store.add_note("a", "vera", text, session=db)


def test_tags_are_normalised_unique_and_removable(maker):
    with maker.begin() as db:
        assert store.add_tag("a", "  Fagbrev   Tømrer ", "vera", session=db) == "fagbrev tømrer"
        store.add_tag("a", "fagbrev tømrer", "ola", session=db)
        store.add_tag("a", "oppfølging", "vera", session=db)
        store.add_tag("b", "oppfølging", "vera", session=db)
    with maker.begin() as db:
        assert store.tags_for("a", session=db) == ["fagbrev tømrer", "oppfølging"]
        assert store.all_tags(session=db) == ["fagbrev tømrer", "oppfølging"]
        assert store.senders_with_tag("OPPFØLGING", session=db) == frozenset({"a", "b"})
        assert store.tags_by_sender(session=db) == {"a": ["fagbrev tømrer", "oppfølging"], "b": ["oppfølging"]}
        assert store.remove_tag("a", "oppfølging", session=db)
        assert not store.remove_tag("a", "oppfølging", session=db)
        assert store.tags_for("a", session=db) == ["fagbrev tømrer"]


@pytest.mark.parametrize("tag", ["", "<b>", "x" * 41, "-start"])
def test_odd_tags_are_refused(tag):
    with pytest.raises(AnnotationError):
        store.normalize_tag(tag)


def test_review_status_moves_between_states(maker):
    with maker.begin() as db:
        assert store.status_row("a", session=db) is None
        store.set_status("a", "follow_up", "vera", session=db)
        store.set_status("b", "reviewed", "ola", session=db)
    with maker.begin() as db:
        store.set_status("a", "reviewed", "ola", session=db)
        assert store.statuses(session=db) == {"a": "reviewed", "b": "reviewed"}
        assert store.status_row("a", session=db).changed_by == "ola"  # type: ignore[union-attr]
        store.set_status("b", "new", "ola", session=db)
        assert store.senders_with_status("reviewed", session=db) == frozenset({"a"})
        with pytest.raises(AnnotationError):
            store.set_status("a", "done", "ola", session=db)


def test_delete_for_removes_everything_of_one_conversation(maker):
    with maker.begin() as db:
        store.add_note("a", "vera", "notat", session=db)
        store.add_tag("a", "krise", "vera", session=db)
        store.set_status("a", "reviewed", "vera", session=db)
        store.add_note("b", "vera", "blir", session=db)
    with maker.begin() as db:
        assert store.delete_for("a", session=db) == 3
    with maker.begin() as db:
        assert store.notes_for("a", session=db) == [] and store.tags_for("a", session=db) == []
        assert store.status_row("a", session=db) is None
        assert len(store.notes_for("b", session=db)) == 1


def test_notes_are_redacted_and_tags_with_personal_data_are_refused(maker):
    with maker.begin() as db:
        store.add_note("t-1", "vera", "Ring Ola Nordmann på 912 34 567 i morgen", session=db)
    with maker.begin() as db:
        [note] = store.notes_for("t-1", session=db)
        assert "912 34 567" not in note.text and "[telefon]" in note.text
    with pytest.raises(AnnotationError, match="personopplysninger"), maker.begin() as db:
        store.add_tag("t-1", "91234567", "vera", session=db)
