"""Read the catalogue: every query takes the session as a keyword argument."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.storage.tables.catalogue import Occupation, OccupationName, Route


def get_occupation(slug: str, *, session: Session) -> Occupation | None:
    """One occupation with its routes, names and related occupations, or None."""
    statement = (
        select(Occupation)
        .where(Occupation.slug == slug)
        .options(
            selectinload(Occupation.routes).selectinload(Route.programme),
            selectinload(Occupation.related),
            selectinload(Occupation.names),
        )
    )
    return session.execute(statement).scalar_one_or_none()


def name_index(*, session: Session) -> list[tuple[str, str, str]]:
    """Every (name, kind, slug) the resolver can match."""
    statement = select(OccupationName.name, OccupationName.kind, Occupation.slug).join(Occupation)
    return [(name, kind, slug) for name, kind, slug in session.execute(statement)]


def titles(*, session: Session) -> dict[str, str]:
    """slug -> title for every occupation."""
    return dict(session.execute(select(Occupation.slug, Occupation.title)).all())


def all_occupations(*, session: Session) -> Sequence[Occupation]:
    """Every occupation, ordered by title."""
    return session.execute(select(Occupation).order_by(Occupation.title)).scalars().all()


def count_occupations(*, session: Session) -> int:
    """How many occupations are loaded."""
    return int(session.execute(select(func.count(Occupation.id))).scalar_one())
