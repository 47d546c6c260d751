"""The occupation and education catalogue: data files, database, resolver and answers."""

from __future__ import annotations
