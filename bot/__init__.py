"""Veivalg: a Norwegian career-guidance chatbot for people serving a sentence."""

from __future__ import annotations

__version__ = "0.1.0"
