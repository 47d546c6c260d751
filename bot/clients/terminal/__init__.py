"""The kiosk terminal client: `veivalg chat`, full-screen or line by line."""

from __future__ import annotations
