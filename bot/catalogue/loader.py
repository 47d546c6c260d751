"""Load the checked data files into the database, replacing what was there."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.catalogue.schema import Catalogue, read_catalogue
from bot.paths import data_file
from bot.storage.tables.catalogue import Occupation, OccupationName, Programme, Route, related_occupations

DATA_FOLDER = data_file("catalogue")


def replace_catalogue(catalogue: Catalogue, *, session: Session) -> int:
    """Delete the stored catalogue and insert `catalogue` in the same transaction; return the count."""
    for table in (related_occupations, Route.__table__, OccupationName.__table__):
        session.execute(delete(table))
    session.execute(delete(Occupation))
    session.execute(delete(Programme))

    programmes = {
        p.slug: Programme(slug=p.slug, title=p.title, kind=p.kind, description=p.description, vg2=list(p.vg2))
        for p in catalogue.programmes
    }
    session.add_all(programmes.values())
    occupations: dict[str, Occupation] = {}
    names = catalogue.names()
    for slug, (sector, entry) in catalogue.occupations.items():
        occupation = Occupation(
            slug=slug, title=entry.title, sector=sector, styrk08=entry.styrk08, description=entry.description,
            tasks=list(entry.tasks), demands=list(entry.demands), workplaces=list(entry.workplaces),
            praksiskandidat=entry.praksiskandidat, politiattest_level=entry.politiattest.level,
            politiattest_basis=entry.politiattest.basis, politiattest_note=entry.politiattest.note,
            attest=list(entry.politiattest.attest), background_check=entry.politiattest.background_check,
            praksis_months=entry.praksis_months, sources=list(entry.sources),
            riasec="".join(entry.riasec), prospects=entry.prospects,
        )
        occupation.names = [OccupationName(name=name, kind=kind) for name, kind, owner in names if owner == slug]
        occupation.routes = [
            Route(
                position=position, kind=route.kind, steps=list(route.steps), years=route.years,
                programme=programmes[route.programme] if route.programme else None,
            )
            for position, route in enumerate(entry.routes)
        ]
        occupations[slug] = occupation
    session.add_all(occupations.values())
    session.flush()
    rows = [
        {"occupation_id": occupations[slug].id, "related_id": occupations[other].id, "position": position}
        for slug, (_, entry) in catalogue.occupations.items()
        for position, other in enumerate(entry.related)
    ]
    if rows:
        session.execute(related_occupations.insert(), rows)
    return len(occupations)


def load_folder(folder: Path = DATA_FOLDER, *, session: Session) -> int:
    """Check the data files in `folder` and load them; raises CatalogueError on a bad entry."""
    return replace_catalogue(read_catalogue(folder), session=session)


def stored_count(*, session: Session) -> int:
    """How many occupations the database holds."""
    return int(session.scalar(select(func.count()).select_from(Occupation)) or 0)

