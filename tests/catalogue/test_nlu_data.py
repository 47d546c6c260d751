from __future__ import annotations

from bot.catalogue.loader import DATA_FOLDER
from bot.catalogue.nlu_data import GENERATED_FILE, render
from bot.catalogue.schema import read_catalogue
from bot.paths import read_yaml


def test_the_generated_lookup_file_is_up_to_date():
    expected = render(read_catalogue(DATA_FOLDER))

    assert GENERATED_FILE.read_text(encoding="utf-8") == expected, "run `veivalg catalogue load` (make setup)"


def test_every_name_maps_to_its_slug_and_is_in_the_lookup_table():
    document = read_yaml(GENERATED_FILE)
    lookup = next(block for block in document["nlu"] if block.get("lookup") == "occupation")
    synonyms = {block["synonym"]: block["examples"] for block in document["nlu"] if "synonym" in block}

    assert "- snekker" in lookup["examples"] and "- rorlegger" in lookup["examples"]
    assert "- snekker\n" in synonyms["tomrer"] and "- tømrer\n" in synonyms["tomrer"]
    assert "- electrician\n" in synonyms["elektriker"]
