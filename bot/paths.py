"""The project's folders, found once from this file rather than counted up from every module."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEPLOY_DIR = PROJECT_ROOT / "deploy"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
TESTS_DIR = PROJECT_ROOT / "tests"


def data_file(*parts: str) -> Path:
    """A file or folder under data/."""
    return DATA_DIR.joinpath(*parts)
