"""Rasa SDK actions, one per module; the work lives in `bot/`."""

from __future__ import annotations
