"""Pay from Statistics Norway: the occupation's own figure where SSB has one, else its occupation group's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Extra, ValidationError, conint, constr, validator

from bot.paths import data_file, read_yaml

PAY_FILE = data_file("catalogue", "pay.yml")
PAY_WORDS = (
    "tjen", "tener", "lønn", "lonn", "løn ", "betal", "penger", "pengar", "inntekt", "salary", "earn", "wage",
    "paid", "income", " pay ", " pay?", "the pay", "pay for",
)
# Words of a question about the way into an occupation: with them, pay words do not make it a pay question
# («hvordan blir jeg elektriker, og hva tjener de»: the route answer says where pay is).
ROUTE_WORDS = ("bli ", "blir ", "become", "utdann", "veien", "fagbrev", "læreplass", "laereplass", "how do i",
               "hvordan", "korleis")


class PayError(ValueError):
    """The pay file has a figure without its source or year."""


class _Strict(BaseModel):
    class Config:
        extra = Extra.allow


class SourceEntry(_Strict):
    url: constr(regex=r"^https?://\S+$")  # type: ignore[valid-type]
    title: constr(min_length=5)  # type: ignore[valid-type]
    year: conint(ge=2000, le=2100) | None  # type: ignore[valid-type]
    measure: Literal["average", "median"] | None


class FigureEntry(_Strict):
    name: constr(min_length=2)  # type: ignore[valid-type]
    monthly_nok: conint(gt=5000, lt=500000)  # type: ignore[valid-type]
    source: str


class PayFile(_Strict):
    sources: dict[str, SourceEntry]
    occupations: dict[str, FigureEntry]
    groups: dict[str, FigureEntry]
    apprentice: dict[str, Any]

    @validator("occupations", "groups")
    def figures_have_a_dated_source(
        cls, value: dict[str, FigureEntry], values: dict[str, Any]
    ) -> dict[str, FigureEntry]:
        sources: dict[str, SourceEntry] = values.get("sources") or {}
        for code, figure in value.items():
            source = sources.get(figure.source)
            if source is None:
                raise ValueError(f"{code}: source {figure.source!r} is not under sources")
            if source.year is None or source.measure is None:
                raise ValueError(f"{code}: source {figure.source!r} has no year or no measure")
        return value


@dataclass(frozen=True)
class Pay:
    """A monthly pay figure, and what it is for."""

    monthly_nok: int
    year: int
    measure: str  # "average" or "median"
    group: str  # SSB's name of the occupation or group the figure is for
    exact: bool  # True: the occupation's own STYRK-08 code; False: its major group
    source_url: str


def read_pay(path: Path = PAY_FILE) -> PayFile:
    """The checked pay file; PayError lists what is wrong."""
    try:
        return PayFile.parse_obj(read_yaml(path))
    except ValidationError as exc:
        raise PayError(str(exc)) from exc


@lru_cache(maxsize=1)
def _table() -> PayFile:
    return read_pay()


def pay_for(styrk08: str) -> Pay | None:
    """The occupation's own figure, or its major group's (the first digit of the code); None without either."""
    table = _table()
    figure, exact = table.occupations.get(styrk08), True
    if figure is None:
        figure, exact = table.groups.get(styrk08[:1]), False
    if figure is None:
        return None
    source = table.sources[figure.source]
    assert source.year is not None and source.measure is not None  # checked when the file was read
    return Pay(figure.monthly_nok, source.year, source.measure, figure.name, exact, source.url)


def apprentice_text(language: str = "nb") -> str:
    """How apprentice pay is usually set, in plain words (Norwegian, or English with `language="en"`)."""
    apprentice = _table().apprentice
    text = apprentice.get("text_en") if language == "en" else None
    return " ".join(str(text or apprentice.get("text", "")).split())


def asks_about_pay(text: str) -> bool:
    """True when the question is about pay: «hva tjener en …», «lønn», «best betalt»."""
    folded = f" {text.casefold()} "
    return any(word in folded for word in PAY_WORDS)


def asks_only_about_pay(text: str) -> bool:
    """Pay words and no words about the way in: «what's the pay for a nurse i norge»."""
    folded = f" {text.casefold()} "
    return asks_about_pay(text) and not any(word in folded for word in ROUTE_WORDS)


def kroner(amount: int) -> str:
    """45 440 -> '45 440' with a non-breaking thin space, the Norwegian way."""
    return f"{amount:,}".replace(",", "\u00a0")
