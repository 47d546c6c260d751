"""Pages of the review app: the Jinja2 environment, its Norwegian formats, and the responses every page uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.clock import LOCAL_TZ, aware
from bot.handover.texts import REASONS, SAFETY_LABELS
from bot.languages.names import name_nb, needs_interpreter
from bot.privacy import transcripts
from bot.staff import audit, notes
from bot.staff.accounts import ROLE_NAMES
from bot.web.review import security

HERE = Path(__file__).parent
DAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
    "desember",
)


def local(value: datetime | None) -> str:
    """«18.11.2025 kl. 10.00» in Norwegian time; naive values from SQLite are UTC."""
    moment = aware(value)
    return "–" if moment is None else moment.astimezone(LOCAL_TZ).strftime("%d.%m.%Y kl. %H.%M")


def _day(value: datetime) -> str:
    """«tirsdag 18. november 2025»."""
    moment = value.astimezone(LOCAL_TZ)
    return f"{DAYS[moment.weekday()]} {moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def _clock(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%H.%M")


def _decimal(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates beside this module, autoescaped, with the review app's filters."""
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(
        local=local, day=_day, clock=_clock, decimal=_decimal, percent=_percent,
        q=lambda v: quote(str(v), safe=""), knapp=transcripts.knapp_title, language=name_nb,
    )
    env.globals.update(role_names=ROLE_NAMES, statuses=notes.STATUSES, actions=audit.ACTIONS, reasons=REASONS,
                       safety_labels=SAFETY_LABELS, needs_interpreter=needs_interpreter)
    return env


def root(request: Request) -> str:
    """Where the review app is mounted (/review)."""
    return str(request.scope.get("root_path") or "").rstrip("/")


def render(request: Request, name: str, context: Mapping[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    """A page with who is logged in, the CSRF token and the messages waiting to be shown."""
    who = security.identity(request)
    page = environment().get_template(name).render(
        **{"section": "", **(context or {})},
        root=root(request), who=who, csrf=security.csrf_token(request), flashes=security.take_flashes(request),
    )
    return HTMLResponse(page, status_code=status)


def error_page(request: Request, status: int) -> HTMLResponse:
    """The kind error page for 403 and 404."""
    return render(request, "error.html", {"status": status}, status=status)


def redirect(request: Request, path: str) -> RedirectResponse:
    """303 to a path inside the review app."""
    return RedirectResponse(root(request) + path, status_code=303)
