"""Veivalg's own tables, one module per topic."""

from __future__ import annotations
