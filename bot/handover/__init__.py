"""Handover to a counsellor: the queue, contact codes, presence and the shared summary."""

from __future__ import annotations
