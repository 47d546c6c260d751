from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.settings import load_settings
from bot.staff import dashboard
from bot.storage.engine import conversation_session_factory
from bot.storage.schema import create_tables
from bot.storage.tables.ratings import Rating
from bot.web.review import charts
from tests.fixtures.transcripts.seed import seed


@pytest.fixture
def maker(tmp_path):
    settings = load_settings({
        "VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "s" * 40,
        "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
        "VEIVALG_DATABASE_URL": f"sqlite:///{tmp_path / 'veivalg.db'}",
    })
    seed(settings.tracker_store_url)
    create_tables(settings.database_url)
    maker = conversation_session_factory(settings)
    with maker.begin() as db:
        for day, rating in ((11, 2), (18, 5), (19, 4), (20, 3)):
            db.add(Rating(created_at=datetime(2025, 11, day, 12, tzinfo=timezone.utc), rating=rating, knapper=""))
    return maker


def test_figures_per_week_knapp_and_rating(maker):
    with maker.begin() as db:
        d = dashboard.build(session=db)
    assert (d.conversations, d.handovers, d.urgent) == (5, 1, 1)
    assert d.safety == {"crisis": 1, "threat": 0, "possible": 0}  # counted by level, never with text
    assert (d.user_messages, d.fallback_messages) == (37, 3) and d.fallback_rate == pytest.approx(3 / 37)
    assert [(w.label, w.conversations, w.handovers, w.urgent, w.fallback_messages) for w in d.weeks] == [
        ("Uke 45, 2025", 1, 0, 0, 0), ("Uke 46, 2025", 1, 0, 0, 3), ("Uke 47, 2025", 3, 1, 1, 0)
    ]
    assert d.weeks[1].fallback_rate == pytest.approx(3 / 9)
    assert [(r.label, r.count, r.average) for r in d.rating_weeks] == [
        ("Uke 46, 2025", 1, 2.0), ("Uke 47, 2025", 3, 4.0)
    ]
    assert (d.ratings, d.rating_average) == (4, 3.5)
    rows = {k.key: (k.title, k.started, k.finished) for k in d.knapper}
    assert rows["self_in_context"] == ("Meg i kontekst", 1, 1)
    assert rows["transition"] == ("En overgang som kommer", 1, 0)
    assert rows["chances_and_limits"] == ("Muligheter og begrensninger", 0, 0)
    assert d.unanswered == []  # message text only when asked for (admins)


def test_a_period_limits_every_figure(maker):
    with maker.begin() as db:
        d = dashboard.build(session=db, date_from=date(2025, 11, 17), date_to=date(2025, 11, 19), include_text=True)
    assert d.conversations == 2 and [w.label for w in d.weeks] == ["Uke 47, 2025"]
    assert d.ratings == 2 and d.rating_average == 4.5
    assert d.unanswered == []  # the fallbacks happened in week 46
    assert {k.key: k.started for k in d.knapper}["transition"] == 0


def test_weeks_without_conversations_show_as_zero(maker, tmp_path):
    new_year = datetime(2026, 1, 7, 10, tzinfo=timezone.utc).timestamp()
    seed(f"sqlite:///{tmp_path / 'tracker.db'}", (), extra=[("januar", [
        {"event": "user", "timestamp": new_year, "text": "hei", "parse_data": {"intent": {"name": "greet"}}},
    ])])
    with maker.begin() as db:
        d = dashboard.build(session=db, date_from=date(2025, 11, 17))
    assert [(w.year, w.week, w.conversations) for w in d.weeks] == [
        (2025, 47, 3), (2025, 48, 0), (2025, 49, 0), (2025, 50, 0), (2025, 51, 0), (2025, 52, 0), (2026, 1, 0),
        (2026, 2, 1),
    ]


def test_top_unanswered_groups_case_and_punctuation():
    texts = [
        "Hvor mye tjener en sveiser?", "hvor mye  tjener en sveiser", "får jeg permisjon", "  ", "Får jeg permisjon!",
        "hva er klokka",
    ]
    assert dashboard.top_unanswered(texts, limit=2) == [("får jeg permisjon", 2), ("Hvor mye tjener en sveiser?", 2)]


def test_admins_see_the_unanswered_questions(maker):
    with maker.begin() as db:
        d = dashboard.build(session=db, include_text=True)
    assert d.unanswered == [("hvor mye tjener en sveiser i Bergen", 2), ("får jeg permisjon til jul", 1)]


@pytest.mark.parametrize("name", charts.CHARTS)
def test_every_chart_is_a_png(maker, name):
    with maker.begin() as db:
        d = dashboard.build(session=db)
    png = charts.chart_png(name, d)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_charts_work_without_any_data():
    empty = dashboard.Dashboard(0, 0, 0, 0, 0, 0, None, [], [], [], [])
    for name in charts.CHARTS:
        assert charts.chart_png(name, empty).startswith(b"\x89PNG")


def test_conversations_are_counted_per_language_and_the_unmet_need_without_text(maker, tmp_path):
    moment = datetime(2025, 11, 18, 10, tzinfo=timezone.utc).timestamp()

    def spoken(code: str) -> list[dict[str, object]]:
        return [{"event": "user", "timestamp": moment, "text": "x", "parse_data": {"intent": {"name": "greet"}}},
                {"event": "slot", "timestamp": moment, "name": "language", "value": code}]

    seed(f"sqlite:///{tmp_path / 'tracker.db'}", (), extra=[("engelsk", spoken("en")), ("polsk", spoken("pl"))])
    with maker.begin() as db:
        d = dashboard.build(session=db)
    assert d.languages["en"] == 1 and d.languages["pl"] == 1 and d.languages["nb"] >= 1
    assert d.unmet_language_need == 1
