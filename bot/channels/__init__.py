"""Rasa input channels for Veivalg's clients."""

from __future__ import annotations
