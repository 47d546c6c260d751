"""The summary a user may agree to share with the counsellor who takes over."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from bot.guidance.plan import plan_lines


def summary_for_counsellor(slots: Mapping[str, Any], *, session: Session) -> str:
    """«Min plan» line by line, with personal data removed: what the user agreed to share."""
    from bot.privacy.redaction import redact_text  # Presidio and spaCy: loaded only when a summary is made

    lines = [line.text for line in plan_lines(slots, session=session)]
    if not lines:
        return "Ingen «min plan» ennå."
    return redact_text("\n".join(["Min plan:", *(f"- {line}" for line in lines)]))
