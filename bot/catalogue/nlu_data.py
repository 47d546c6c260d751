"""Generate the NLU lookup table and synonyms for the `occupation` entity from the catalogue."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.catalogue.schema import Catalogue
from bot.paths import data_file
from bot.text.folding import fold

GENERATED_FILE = data_file("nlu", "occupation_lookup.yml")
HEADER = (
    "# Generated from data/catalogue by `veivalg catalogue nlu`; do not edit by hand.\n"
    "# The lookup table feeds the RegexFeaturizer; the synonyms map every name to the occupation's slug.\n"
)


def nlu_document(catalogue: Catalogue) -> dict[str, object]:
    """A Rasa NLU document: one lookup table of every name, one synonym block per occupation."""
    names = catalogue.names()
    lookup = sorted({name.casefold() for name, _, _ in names} | {fold(name) for name, _, _ in names})
    blocks: list[dict[str, str]] = [
        {"lookup": "occupation", "examples": "".join(f"- {name}\n" for name in lookup)}
    ]
    by_slug: dict[str, set[str]] = {}
    for name, _, slug in names:
        by_slug.setdefault(slug, set()).update({name.casefold(), fold(name)})
    for slug in sorted(by_slug):
        values = sorted(value for value in by_slug[slug] if value != slug)
        if values:
            blocks.append({"synonym": slug, "examples": "".join(f"- {value}\n" for value in values)})
    return {"version": "3.1", "nlu": blocks}


def render(catalogue: Catalogue) -> str:
    """The generated file's text, stable from run to run."""

    class Literal(str):
        pass

    def literal(dumper: yaml.SafeDumper, value: Literal) -> yaml.ScalarNode:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")

    yaml.add_representer(Literal, literal, Dumper=yaml.SafeDumper)
    document = nlu_document(catalogue)
    for block in document["nlu"]:  # type: ignore[attr-defined]
        block["examples"] = Literal(block["examples"])
    return HEADER + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)


def write(catalogue: Catalogue, path: Path = GENERATED_FILE) -> bool:
    """Write the file when its content changed; True when it did."""
    text = render(catalogue)
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
