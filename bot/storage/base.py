"""The declarative base every Veivalg table derives from."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import registry

mapper_registry = registry()
Base: Any = mapper_registry.generate_base()
