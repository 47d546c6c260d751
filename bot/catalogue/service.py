"""The catalogue as the actions use it: a cached resolver and occupation lookups."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.catalogue.queries import name_index
from bot.catalogue.resolver import Resolver

_resolvers: dict[str, Resolver] = {}


def resolver(*, session: Session) -> Resolver:
    """The resolver for this session's database, built once per process."""
    key = str(session.get_bind().url)
    if key not in _resolvers:
        names = name_index(session=session)
        _resolvers[key] = Resolver([(name, slug) for name, _, slug in names] + [(slug, slug) for _, _, slug in names])
    return _resolvers[key]


def forget_resolvers() -> None:
    """Drop cached resolvers, after the catalogue was reloaded."""
    _resolvers.clear()
