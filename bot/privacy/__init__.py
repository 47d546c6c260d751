"""Privacy: consent, redaction, retention and reading stored conversations."""

from __future__ import annotations
