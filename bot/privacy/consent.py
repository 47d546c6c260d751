"""The user's answer to «Vil du at jeg tar vare på samtalen?», as the dialogue keeps it."""

from __future__ import annotations

CONSENT_SLOT = "consent_to_store"  # True only after an explicit yes; None before the answer, False after a no
