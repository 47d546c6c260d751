"""Storage: the declarative base, Veivalg's tables, engines and migrations."""

from __future__ import annotations
