"""Safety: recognising a crisis or a threat, whatever the dialogue engine predicts."""

from __future__ import annotations
