"""Clients that talk to Veivalg from outside: the kiosk terminal."""

from __future__ import annotations
