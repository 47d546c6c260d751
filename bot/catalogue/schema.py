"""The schema of the catalogue's data files (data/catalogue/SCHEMA.md), checked entry by entry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Extra, ValidationError, conlist, constr, validator

from bot.paths import read_yaml

Slug = constr(regex=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)
ShortText = constr(strip_whitespace=True, min_length=2, max_length=300)
SECTORS = {
    "bygg_og_anlegg", "elektro", "ror_og_ventilasjon", "transport_og_logistikk", "industri_og_mekanikk",
    "landbruk_og_natur", "fiske_og_havbruk", "mat_og_restaurant", "renhold_og_eiendom", "handel_og_service",
    "helse_og_omsorg", "it_og_kontor", "sikkerhet_og_beredskap", "hoyere_utdanning", "kreative_fag",
    "personlig_tjenesteyting",
}
ATTEST_TYPES = ("ordinaer", "begrenset", "uttommende", "utvidet", "barneomsorgsattest")
SOURCE_URL = constr(strip_whitespace=True, regex=r"^https?://\S+$", max_length=400)
LEGAL_REFERENCE = re.compile(r"(§|\blov(a|en)?\b|loven\b|lova\b|forskrift|kapittel)", re.IGNORECASE)


class CatalogueError(ValueError):
    """The catalogue's data files have errors; the message lists every one."""


class Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class RouteEntry(Strict):
    kind: Literal["fagbrev", "svennebrev", "higher_education", "certificate", "course", "none"]
    programme: Slug | None  # type: ignore[valid-type]
    steps: conlist(ShortText, min_items=1, max_items=8)  # type: ignore[valid-type]
    years: float

    @validator("years")
    def years_in_range(cls, value: float, values: dict[str, Any]) -> float:
        lowest = 0 if values.get("kind") == "none" else 0.1
        if not lowest <= value <= 12:
            raise ValueError("years must be above 0 (0 only for kind 'none') and at most 12")
        return value


class Politiattest(Strict):
    level: Literal["none", "some_jobs", "required"]
    # Which attest types the law asks for (politiregisterloven §§ 39-41): none for level "none".
    attest: list[Literal["ordinaer", "begrenset", "uttommende", "utvidet", "barneomsorgsattest"]] = []
    background_check: bool = False  # a security clearance or background check besides the attest
    basis: constr(strip_whitespace=True, min_length=20, max_length=700)  # type: ignore[valid-type]
    note: constr(strip_whitespace=True, max_length=400) | None = None  # type: ignore[valid-type]

    @validator("attest")
    def attest_fits_level(cls, value: list[str], values: dict[str, Any]) -> list[str]:
        level = values.get("level")
        if level == "none" and value:
            raise ValueError("attest must be empty when level is 'none'")
        if len(set(value)) != len(value):
            raise ValueError("attest types must not repeat")
        return value

    @validator("basis")
    def names_legal_basis(cls, value: str) -> str:
        if not LEGAL_REFERENCE.search(value):
            raise ValueError("basis must name its legal basis (a law, a regulation or a section)")
        return value


class EnglishPolitiattest(Strict):
    basis: constr(strip_whitespace=True, min_length=20, max_length=700)  # type: ignore[valid-type]
    note: constr(strip_whitespace=True, max_length=400) | None = None  # type: ignore[valid-type]


class EnglishEntry(Strict):
    """The occupation in simple English; names of Norwegian programmes and certificates are kept."""

    title: constr(strip_whitespace=True, min_length=2, max_length=80)  # type: ignore[valid-type]
    synonyms: conlist(constr(strip_whitespace=True, min_length=2, max_length=80), max_items=8) = []  # type: ignore[valid-type]
    description: constr(strip_whitespace=True, min_length=20, max_length=300)  # type: ignore[valid-type]
    tasks: conlist(ShortText, min_items=3, max_items=6)  # type: ignore[valid-type]
    demands: conlist(ShortText, min_items=2, max_items=5)  # type: ignore[valid-type]
    workplaces: conlist(ShortText, min_items=1, max_items=4)  # type: ignore[valid-type]
    routes: conlist(conlist(ShortText, min_items=1, max_items=8), min_items=1, max_items=3)  # type: ignore[valid-type]
    politiattest: EnglishPolitiattest
    prospects: constr(strip_whitespace=True, min_length=10, max_length=350)  # type: ignore[valid-type]


class OccupationEntry(Strict):
    slug: Slug  # type: ignore[valid-type]
    title: constr(strip_whitespace=True, min_length=2, max_length=80)  # type: ignore[valid-type]
    synonyms: conlist(constr(strip_whitespace=True, min_length=2, max_length=80), max_items=15)  # type: ignore[valid-type]
    styrk08: constr(regex=r"^\d{4}$")  # type: ignore[valid-type]
    description: constr(strip_whitespace=True, min_length=20, max_length=250)  # type: ignore[valid-type]
    tasks: conlist(ShortText, min_items=3, max_items=6)  # type: ignore[valid-type]
    demands: conlist(ShortText, min_items=2, max_items=5)  # type: ignore[valid-type]
    workplaces: conlist(ShortText, min_items=1, max_items=4)  # type: ignore[valid-type]
    routes: conlist(RouteEntry, min_items=1, max_items=3)  # type: ignore[valid-type]
    praksiskandidat: bool
    # Months of relevant practice a praksiskandidat needs, when it differs from the usual 60.
    praksis_months: int | None = None
    politiattest: Politiattest
    riasec: conlist(Literal["R", "I", "A", "S", "E", "C"], min_items=1, max_items=3)  # type: ignore[valid-type]
    prospects: constr(strip_whitespace=True, min_length=10, max_length=300)  # type: ignore[valid-type]
    related: conlist(Slug, min_items=1, max_items=6)  # type: ignore[valid-type]
    sources: conlist(SOURCE_URL, min_items=1)  # type: ignore[valid-type]  # the pages the facts were checked against
    en: EnglishEntry | None = None

    @validator("praksis_months")
    def months_in_range(cls, value: int | None) -> int | None:
        if value is not None and not 12 <= value <= 120:
            raise ValueError("praksis_months must be between 12 and 120")
        return value

    @validator("en")
    def english_routes_match(cls, value: EnglishEntry | None, values: dict[str, Any]) -> EnglishEntry | None:
        routes = values.get("routes")
        if value is not None and routes is not None and len(value.routes) != len(routes):
            raise ValueError("en.routes must have one list of steps per route, in the same order")
        return value

    @validator("riasec")
    def unique_codes(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("riasec codes must not repeat")
        return value


class SectorFile(Strict):
    sector: str
    occupations: conlist(OccupationEntry, min_items=1)  # type: ignore[valid-type]

    @validator("sector")
    def known_sector(cls, value: str) -> str:
        if value not in SECTORS:
            raise ValueError(f"unknown sector {value!r}")
        return value


class ProgrammeEntry(Strict):
    slug: Slug  # type: ignore[valid-type]
    title: constr(strip_whitespace=True, min_length=2, max_length=120)  # type: ignore[valid-type]
    kind: Literal["yrkesfag", "studieforberedende"]
    description: ShortText  # type: ignore[valid-type]
    vg2: list[constr(strip_whitespace=True, min_length=2, max_length=120)]  # type: ignore[valid-type]


class ProgrammesFile(Strict):
    programmes: conlist(ProgrammeEntry, min_items=1)  # type: ignore[valid-type]


class ExtraNamesFile(Strict):
    english: dict[str, list[constr(strip_whitespace=True, min_length=2, max_length=80)]] = {}  # type: ignore[valid-type]
    nynorsk: dict[str, list[constr(strip_whitespace=True, min_length=2, max_length=80)]] = {}  # type: ignore[valid-type]


class Catalogue(BaseModel):
    """Every programme and occupation, checked on their own and against each other."""

    programmes: list[ProgrammeEntry]
    occupations: dict[str, tuple[str, OccupationEntry]]  # slug -> (sector, entry)
    extra_names: dict[str, list[tuple[str, str]]] = {}  # slug -> [(name, kind)]

    def names(self) -> list[tuple[str, str, str]]:
        """Every (name, kind, slug): titles, synonyms, English and nynorsk names."""
        found = []
        for slug, (_, entry) in self.occupations.items():
            found.append((entry.title, "title", slug))
            found.extend((name, "synonym", slug) for name in entry.synonyms)
            found.extend((name, kind, slug) for name, kind in self.extra_names.get(slug, []))
        taken = {fold_name(name).replace(" ", ""): slug for name, _, slug in found}
        present = {name for name, _, _ in found}
        for slug, (_, entry) in self.occupations.items():
            # English names from the entry's own `en` block, unless a Norwegian name of another occupation
            # is spelt the same (then the Norwegian meaning wins).
            for name in ([entry.en.title, *entry.en.synonyms] if entry.en else []):
                if name not in present and taken.setdefault(fold_name(name).replace(" ", ""), slug) == slug:
                    present.add(name)
                    found.append((name, "english", slug))
        return found


def fold_name(name: str) -> str:
    """Case- and space-insensitive key used to find duplicate names."""
    return re.sub(r"[\s\-]+", " ", name.casefold()).strip()


def _load_yaml(path: Path, errors: list[str]) -> Any:
    try:
        return read_yaml(path)
    except yaml.YAMLError as exc:
        errors.append(f"{path.name}: not valid YAML: {exc}")
        return None


def _describe(path: Path, data: Any, exc: ValidationError) -> list[str]:
    lines = []
    for error in exc.errors():
        location = list(error["loc"])
        where = ""
        if len(location) >= 2 and location[0] == "occupations" and isinstance(location[1], int):
            try:
                where = f" [{data['occupations'][location[1]].get('slug', '?')}]"
            except (KeyError, IndexError, TypeError, AttributeError):
                where = ""
        lines.append(f"{path.name}{where} {'.'.join(map(str, location))}: {error['msg']}")
    return lines


def read_catalogue(folder: Path) -> Catalogue:
    """Read and check every data file; raise CatalogueError listing all problems at once."""
    errors: list[str] = []
    programmes: list[ProgrammeEntry] = []
    raw = _load_yaml(folder / "programmes.yml", errors)
    if raw is not None:
        try:
            programmes = ProgrammesFile.parse_obj(raw).programmes
        except ValidationError as exc:
            errors.extend(_describe(folder / "programmes.yml", raw, exc))

    occupations: dict[str, tuple[str, OccupationEntry]] = {}
    names: dict[str, str] = {}
    files = sorted((folder / "occupations").glob("*.yml"))
    if not files:
        errors.append(f"no occupation files in {folder / 'occupations'}")
    for path in files:
        raw = _load_yaml(path, errors)
        if raw is None:
            continue
        try:
            sector_file = SectorFile.parse_obj(raw)
        except ValidationError as exc:
            errors.extend(_describe(path, raw, exc))
            continue
        if sector_file.sector != path.stem:
            errors.append(f"{path.name}: sector {sector_file.sector!r} does not match the file name")
        for entry in sector_file.occupations:
            if entry.slug in occupations:
                errors.append(f"{path.name} [{entry.slug}]: slug used twice")
            occupations[entry.slug] = (sector_file.sector, entry)
            for name in [entry.title, *entry.synonyms]:
                key = fold_name(name)
                if key in names and names[key] != entry.slug:
                    errors.append(f"{path.name} [{entry.slug}]: name {name!r} is also used by {names[key]}")
                names[key] = entry.slug

    extra_names: dict[str, list[tuple[str, str]]] = {}
    raw = _load_yaml(folder / "extra_names.yml", errors) if (folder / "extra_names.yml").is_file() else None
    if raw is not None:
        try:
            extra = ExtraNamesFile.parse_obj(raw)
        except ValidationError as exc:
            errors.extend(_describe(folder / "extra_names.yml", raw, exc))
            extra = ExtraNamesFile()
        for kind, table in (("english", extra.english), ("nynorsk", extra.nynorsk)):
            for slug, extra_list in table.items():
                if slug not in occupations:
                    errors.append(f"extra_names.yml: {kind} names for unknown slug {slug!r}")
                for name in extra_list:
                    key = fold_name(name)
                    if key in names and names[key] != slug:
                        errors.append(f"extra_names.yml [{slug}]: name {name!r} is also used by {names[key]}")
                    names[key] = slug
                    extra_names.setdefault(slug, []).append((name, kind))

    programme_slugs = {p.slug for p in programmes}
    for slug, (_, entry) in occupations.items():
        for route in entry.routes:
            if route.programme and route.programme not in programme_slugs:
                errors.append(f"[{slug}] route programme {route.programme!r} is not in programmes.yml")
        for other in entry.related:
            if other not in occupations:
                errors.append(f"[{slug}] related {other!r} is not in the catalogue")
            if other == slug:
                errors.append(f"[{slug}] is related to itself")
    if errors:
        raise CatalogueError(f"{len(errors)} error(s) in the catalogue:\n" + "\n".join(errors))
    return Catalogue(programmes=programmes, occupations=occupations, extra_names=extra_names)
