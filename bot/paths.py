"""The project's folders, found once from this file rather than counted up from every module, and their fingerprints."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEPLOY_DIR = PROJECT_ROOT / "deploy"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
TESTS_DIR = PROJECT_ROOT / "tests"


def data_file(*parts: str) -> Path:
    """A file or folder under data/."""
    return DATA_DIR.joinpath(*parts)


def read_yaml(path: Path) -> Any:
    """A YAML file's data, parsed by libyaml when PyYAML has it: the same data, about ten times faster."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)


def files_fingerprint(
    root: Path, names: Iterable[str | Path], *, salt: str = "", suffixes: Collection[str] | None = None
) -> str:
    """SHA-256 of `salt` and of every file named (a file, or all files in a folder, below `root`): names and contents.

    Equal fingerprints, equal inputs: what is built from them (the model, the safety classifier, the
    loaded catalogue) need not be built again.
    """
    digest = hashlib.sha256(salt.encode())
    for name in names:
        folder = root / name
        files = sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else [folder]
        for path in files:
            if not path.exists() or (suffixes is not None and path.suffix not in suffixes):
                continue
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
