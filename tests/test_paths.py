"""Reading a YAML data file the fast way gives what PyYAML's own safe loader gives."""

from __future__ import annotations

import pytest
import yaml

from bot.paths import DATA_DIR, read_yaml


def test_every_data_file_reads_the_same_as_with_the_safe_loader():
    files = sorted(DATA_DIR.rglob("*.yml"))
    assert len(files) > 20
    for path in files:
        assert read_yaml(path) == yaml.safe_load(path.read_text(encoding="utf-8")), path


def test_yaml_that_is_not_safe_is_refused(tmp_path):
    path = tmp_path / "unsafe.yml"
    path.write_text("!!python/object/apply:os.system ['echo hei']\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        read_yaml(path)
