"""An occupation as an English reader gets it: the entry's `en:` words over the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.catalogue.schema import EnglishEntry
from bot.paths import data_file, read_yaml
from bot.storage.tables.catalogue import Occupation, Route

OCCUPATIONS_FOLDER = data_file("catalogue", "occupations")


@lru_cache(maxsize=1)
def english_entries() -> dict[str, EnglishEntry]:
    """Every occupation's English words by slug, read once from the sector files (checked by the loader)."""
    found: dict[str, EnglishEntry] = {}
    for path in sorted(OCCUPATIONS_FOLDER.glob("*.yml")):
        raw = read_yaml(path)
        for entry in raw.get("occupations") or []:
            if entry.get("en"):
                found[entry["slug"]] = EnglishEntry.parse_obj(entry["en"])
    return found


@dataclass(frozen=True)
class EnglishRoute:
    """A route with its steps in English; its kind, length and programme are the route's own."""

    route: Route
    steps: list[str]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.route, name)


@dataclass(frozen=True)
class EnglishOccupation:
    """The same occupation, with title, description, tasks, demands, workplaces, routes and notes in English."""

    occupation: Occupation
    entry: EnglishEntry

    def __getattr__(self, name: str) -> Any:
        return getattr(self.occupation, name)

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def description(self) -> str:
        return self.entry.description

    @property
    def tasks(self) -> list[str]:
        return list(self.entry.tasks)

    @property
    def demands(self) -> list[str]:
        return list(self.entry.demands)

    @property
    def workplaces(self) -> list[str]:
        return list(self.entry.workplaces)

    @property
    def prospects(self) -> str:
        return self.entry.prospects

    @property
    def politiattest_basis(self) -> str:
        return self.entry.politiattest.basis

    @property
    def politiattest_note(self) -> str | None:
        return self.entry.politiattest.note

    @property
    def routes(self) -> list[EnglishRoute]:
        steps = list(self.entry.routes)
        return [EnglishRoute(route, list(steps[i]) if i < len(steps) else list(route.steps))
                for i, route in enumerate(self.occupation.routes)]

    @property
    def related(self) -> list[Occupation | EnglishOccupation]:
        return [in_english(other) for other in self.occupation.related]


def in_english(occupation: Occupation) -> Occupation | EnglishOccupation:
    """The occupation in English words, or as it is when its entry has no English (it then reads Norwegian)."""
    entry = english_entries().get(occupation.slug)
    return occupation if entry is None else EnglishOccupation(occupation, entry)
