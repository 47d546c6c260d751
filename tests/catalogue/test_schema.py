from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.catalogue.loader import DATA_FOLDER
from bot.catalogue.schema import CatalogueError, read_catalogue
from bot.paths import read_yaml


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(DATA_FOLDER, tmp_path / "catalogue")
    return tmp_path / "catalogue"


def edit(folder: Path, file: str, change) -> None:
    path = folder / "occupations" / f"{file}.yml"
    data = read_yaml(path)
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_the_real_catalogue_is_valid_and_large_enough():
    catalogue = read_catalogue(DATA_FOLDER)

    assert len(catalogue.occupations) >= 300
    assert all(entry.sources and entry.en for _, entry in catalogue.occupations.values())
    sectors = {sector for sector, _ in catalogue.occupations.values()}
    assert {"bygg_og_anlegg", "elektro", "transport_og_logistikk", "helse_og_omsorg", "hoyere_utdanning"} <= sectors
    for slug in ("tomrer", "elektriker", "rorlegger", "helsefagarbeider", "yrkessjafor", "anleggsmaskinforer"):
        assert slug in catalogue.occupations


def test_every_politiattest_statement_names_its_legal_basis():
    for slug, (_, entry) in read_catalogue(DATA_FOLDER).occupations.items():
        assert "§" in entry.politiattest.basis or "lov" in entry.politiattest.basis.lower(), slug


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["occupations"][0].pop("styrk08"), r"styrk08: field required"),
        (lambda d: d["occupations"][0].update(styrk08="71"), "styrk08"),
        (lambda d: d["occupations"][0].update(slug="Tømrer!"), "slug"),
        (lambda d: d["occupations"][0].update(riasec=["R", "X"]), "riasec"),
        (lambda d: d["occupations"][0].update(description="x" * 251), "description"),
        (lambda d: d["occupations"][0].update(colour="blue"), "extra fields not permitted"),
        (lambda d: d["occupations"][0]["politiattest"].update(basis="Det kommer an på arbeidsgiveren din."),
         "must name its legal basis"),
        (lambda d: d["occupations"][0]["routes"][0].update(programme="finnes-ikke"), "not in programmes.yml"),
        (lambda d: d["occupations"][0].update(related=["finnes-ikke"]), "'finnes-ikke' is not in the catalogue"),
        (lambda d: d["occupations"][1].update(slug=d["occupations"][0]["slug"]), "slug used twice"),
        (lambda d: d["occupations"][1]["synonyms"].append(d["occupations"][0]["title"].upper()), "is also used by"),
        (lambda d: d.update(sector="elektro"), "does not match the file name"),
        (lambda d: d["occupations"][0].update(sources=[]), "sources"),
        (lambda d: d["occupations"][0].pop("sources"), "sources: field required"),
        (lambda d: d["occupations"][0].update(sources=["utdanning.no"]), "sources"),
        (lambda d: d["occupations"][0]["politiattest"].update(level="none", attest=["uttommende"]),
         "attest must be empty"),
    ],
)
def test_a_bad_entry_fails_loudly_and_says_where(folder: Path, change, message: str):
    edit(folder, "bygg_og_anlegg", change)

    with pytest.raises(CatalogueError, match=message) as error:
        read_catalogue(folder)
    assert "bygg_og_anlegg" in str(error.value) or "[" in str(error.value)


def test_all_errors_are_listed_at_once(folder: Path):
    edit(folder, "elektro", lambda d: d["occupations"][0].pop("title"))
    edit(folder, "bygg_og_anlegg", lambda d: d["occupations"][0].pop("prospects"))

    with pytest.raises(CatalogueError) as error:
        read_catalogue(folder)
    assert "elektro.yml" in str(error.value) and "bygg_og_anlegg.yml" in str(error.value)


def test_broken_yaml_is_reported(folder: Path):
    (folder / "occupations" / "elektro.yml").write_text("occupations: [\n", encoding="utf-8")

    with pytest.raises(CatalogueError, match=r"elektro\.yml: not valid YAML"):
        read_catalogue(folder)


def test_no_notes_to_ourselves_reach_the_user():
    for slug, (_, entry) in read_catalogue(DATA_FOLDER).occupations.items():
        texts = [entry.description, entry.prospects, entry.politiattest.basis, entry.politiattest.note or ""]
        for text in texts:
            assert "ikke sjekket" not in text and "TODO" not in text, slug


def test_every_pay_figure_has_a_source_with_a_year(tmp_path: Path):
    from bot.catalogue.pay import PayError, pay_for, read_pay

    table = read_pay()
    assert table.groups and all(code in table.groups for code in "123456789")
    assert pay_for("7126") is not None and pay_for("7126").year >= 2023  # type: ignore[union-attr]

    raw = read_yaml(DATA_FOLDER / "pay.yml")
    raw["sources"]["ssb_2024_lonn"]["year"] = None
    broken = tmp_path / "pay.yml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PayError, match="no year"):
        read_pay(broken)
    raw = read_yaml(DATA_FOLDER / "pay.yml")
    raw["groups"]["7"]["source"] = "a-rumour"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PayError, match="not under sources"):
        read_pay(broken)
