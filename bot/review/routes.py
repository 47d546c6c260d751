"""The review app's pages under /review: login, conversations, transcripts, quality figures, users, audit log."""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from bot import transcripts
from bot.db import create_tables
from bot.review import accounts, audit, dashboard, security
from bot.review import annotations as store
from bot.review.accounts import ROLE_NAMES, User
from bot.settings import Settings
from bot.transcripts import LOCAL_TZ, ConversationFilters

HERE = Path(__file__).parent
PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
READERS = ("counsellor", "admin")
QUALITY = ("leader", "admin")
ADMINS = ("admin",)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def mount_review(app: FastAPI, settings: Settings) -> None:
    """Serve the review app under /review in the web process."""
    app.mount("/review", create_review_app(settings))


# ---------------------------------------------------------------- formatting for the templates


def _local(value: datetime | None) -> str:
    """«18.11.2025 kl. 10.00» in Norwegian time; naive values from SQLite are UTC."""
    moment = accounts.aware(value)
    return "–" if moment is None else moment.astimezone(LOCAL_TZ).strftime("%d.%m.%Y kl. %H.%M")


DAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november",
    "desember",
)


def _day(value: datetime) -> str:
    """«tirsdag 18. november 2025»."""
    local = value.astimezone(LOCAL_TZ)
    return f"{DAYS[local.weekday()]} {local.day}. {MONTHS[local.month - 1]} {local.year}"


def _clock(value: datetime) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%H.%M")


def _decimal(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:.{digits}f}".replace(".", ",")


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(
        local=_local, day=_day, clock=_clock, decimal=_decimal, percent=_percent,
        q=lambda v: quote(str(v), safe=""), knapp=transcripts.knapp_title,
    )
    from bot.handover import REASONS

    env.globals.update(role_names=ROLE_NAMES, statuses=store.STATUSES, actions=audit.ACTIONS, reasons=REASONS)
    return env


def _root(request: Request) -> str:
    return str(request.scope.get("root_path") or "").rstrip("/")


def _render(request: Request, name: str, context: Mapping[str, Any] | None = None, status: int = 200) -> HTMLResponse:
    who = security.identity(request)
    page = _environment().get_template(name).render(
        **{"section": "", **(context or {})},
        root=_root(request), who=who, csrf=security.csrf_token(request), flashes=security.take_flashes(request),
    )
    return HTMLResponse(page, status_code=status)


def _error(request: Request, status: int) -> HTMLResponse:
    return _render(request, "error.html", {"status": status}, status=status)


def _redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(_root(request) + path, status_code=303)


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _yes_no(value: str | None) -> bool | None:
    return {"ja": True, "nei": False}.get(value or "")


# ---------------------------------------------------------------- access


def _guard(request: Request, db: Session, roles: tuple[str, ...], *, api: bool = False) -> User | Response:
    """The logged-in, active user with one of `roles`; otherwise the response to send instead."""
    who = security.identity(request)
    user = accounts.get_user(who.user_id, session=db) if who else None
    if who is None or user is None or not user.active or user.role != who.role:
        security.end_session(request)
        if api:
            return PlainTextResponse("Du må logge inn.", status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return _redirect(request, "/login?" + urlencode({"neste": target}))
    if user.role not in roles:
        audit.record("denied", session=db, username=user.username, role=user.role, detail=request.url.path)
        return _error(request, 403)
    return user


def _csrf_failed(request: Request, token: str) -> Response | None:
    return None if security.csrf_valid(request, token) else _error(request, 403)


def _missing(request: Request, db: Session, user: User, sender_id: str) -> Response | None:
    """The 404 page (audited) when no conversation is stored under this id."""
    if transcripts.conversation_exists(sender_id, session=db):
        return None
    audit.record("not_found", session=db, username=user.username, role=user.role, sender_id=sender_id[:255])
    return _error(request, 404)


def _read(
    request: Request, db: Session, sender_id: str, action: str, *, api: bool = False
) -> transcripts.Transcript | Response:
    """A counsellor's (or admin's) read of one stored transcript: guarded, 404 when unknown, audited."""
    user = _guard(request, db, READERS, api=api)
    if isinstance(user, Response):
        return user
    found = transcripts.load_transcript(sender_id, session=db)
    if found is None:
        return _missing(request, db, user, sender_id) or _error(request, 404)
    _audit(db, user, action, sender_id)
    return found


def _audit(db: Session, user: User, action: str, sender_id: str | None = None, detail: str | None = None) -> None:
    audit.record(action, session=db, username=user.username, role=user.role, sender_id=sender_id, detail=detail)


def _home(role: str) -> str:
    return "/kvalitet" if role == "leader" else "/samtaler"


# ---------------------------------------------------------------- the app


def create_review_app(settings: Settings) -> FastAPI:
    """The review app as its own ASGI app with its own session cookie (mounted at /review)."""
    review = FastAPI(title="Veivalg gjennomgang", docs_url=None, redoc_url=None, openapi_url=None)
    review.state.settings = settings
    create_tables(settings.database_url)
    maker = transcripts.session_factory(settings)

    @review.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if not request.url.path.startswith(_root(request) + "/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    review.add_middleware(
        SessionMiddleware, secret_key=settings.secret_key, session_cookie=security.SESSION_COOKIE,
        max_age=security.MAX_AGE_SECONDS, path="/review", same_site="strict", https_only=settings.secure_cookies,
    )
    review.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @review.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (403, 404):
            return _error(request, exc.status_code)
        return PlainTextResponse(str(exc.detail), status_code=exc.status_code)

    _login_routes(review, maker)
    _conversation_routes(review, maker, settings)
    _quality_routes(review, maker)
    _admin_routes(review, maker)
    from bot.review.handoffs import add_handoff_routes

    add_handoff_routes(review, maker, settings, render=_render, guard=_guard, csrf_failed=_csrf_failed,
                       redirect=_redirect, error=_error)
    return review


def _login_routes(review: FastAPI, maker: sessionmaker) -> None:
    @review.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        who = security.identity(request)
        return _redirect(request, _home(who.role) if who else "/login")

    @review.get("/login", response_class=HTMLResponse)
    def login_page(request: Request, neste: str = "") -> Response:
        who = security.identity(request)
        if who is not None:
            return _redirect(request, _home(who.role))
        return _render(request, "login.html", {"next": neste, "error": None, "username": ""})

    @review.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        csrf_token: str = Form(""),
        neste: str = Form(""),
    ) -> Response:
        if failed := _csrf_failed(request, csrf_token):
            return failed
        name = accounts.normalize_username(username)
        with maker.begin() as db:
            result = accounts.authenticate(username, password, session=db)
            if result.user is None:
                action = "login_locked" if result.locked else "login_failed"
                audit.record(action, session=db, username=name or "(tomt)")
                error = (
                    f"For mange forsøk. Vent {accounts.LOCK_MINUTES} minutter og prøv igjen."
                    if result.locked
                    else "Feil brukernavn eller passord. Prøv igjen."
                )
                context = {"next": neste, "error": error, "username": username}
                return _render(request, "login.html", context, status=429 if result.locked else 401)
            user = result.user
            audit.record("login", session=db, username=user.username, role=user.role)
            security.start_session(request, int(user.id), str(user.username), str(user.role))
            target = security.safe_next(neste, _root(request))
            if target and user.role == "leader" and not target.startswith(_root(request) + "/kvalitet"):
                target = None
            return RedirectResponse(target or _root(request) + _home(str(user.role)), status_code=303)

    @review.post("/logout")
    def logout(request: Request, csrf_token: str = Form("")) -> Response:
        if failed := _csrf_failed(request, csrf_token):
            return failed
        who = security.identity(request)
        if who is not None:
            with maker.begin() as db:
                audit.record("logout", session=db, username=who.username, role=who.role)
        security.end_session(request)
        security.flash(request, "Du er logget ut.")
        return _redirect(request, "/login")


def _list_filters(params: Mapping[str, str], db: Session) -> tuple[ConversationFilters, dict[str, str]]:
    """The conversation list's filters from the query string; tag and status come from the store."""
    form = {key: (params.get(key) or "").strip() for key in (
        "fra", "til", "kanal", "knapp", "veileder", "haster", "forsto_ikke", "usikker", "vurdering", "merke",
        "status", "sok",
    )}
    include: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()
    if form["merke"]:
        include = store.senders_with_tag(form["merke"], session=db)
    if form["status"] == "new":
        exclude = frozenset(store.statuses(session=db))
    elif form["status"] in store.STATUSES:
        found = store.senders_with_status(form["status"], session=db)
        include = found if include is None else include & found
    rating = _int(form["vurdering"])
    filters = ConversationFilters(
        date_from=_date(form["fra"]),
        date_to=_date(form["til"]),
        channel=form["kanal"] or None,
        knapp=form["knapp"] or None,
        handover=_yes_no(form["veileder"]),
        urgent=_yes_no(form["haster"]),
        has_fallbacks=_yes_no(form["forsto_ikke"]),
        has_low_confidence=_yes_no(form["usikker"]),
        rating=rating if rating in range(1, 6) else None,
        search=form["sok"][:200] or None,
        include_ids=include,
        exclude_ids=exclude,
    )
    return filters, form


def _page_links(form: Mapping[str, str], page: int, pages: int) -> dict[str, str | None]:
    def link(number: int) -> str:
        return "?" + urlencode({**{k: v for k, v in form.items() if v}, "side": str(number)})

    return {"previous": link(page - 1) if page > 1 else None, "next": link(page + 1) if page < pages else None}


def _conversation_routes(review: FastAPI, maker: sessionmaker, settings: Settings) -> None:
    @review.get("/samtaler", response_class=HTMLResponse)
    def conversation_list(request: Request) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, READERS)
            if isinstance(user, Response):
                return user
            filters, form = _list_filters(request.query_params, db)
            found = transcripts.list_conversations(session=db, filters=filters)
            pages = max(1, math.ceil(len(found) / PAGE_SIZE))
            page = min(max(1, _int(request.query_params.get("side"), 1) or 1), pages)
            used = "&".join(f"{k}={v}" for k, v in form.items() if v)
            _audit(db, user, "list", detail=used or None)
            return _render(request, "list.html", {
                "section": "samtaler", "conversations": found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
                "total": len(found), "page": page, "pages": pages, "links": _page_links(form, page, pages),
                "form": form, "channels": transcripts.channels(session=db), "knapp_keys": transcripts.knapp_keys(),
                "tags": store.all_tags(session=db), "tags_by_sender": store.tags_by_sender(session=db),
                "status_by_sender": store.statuses(session=db), "filtered": bool(used),
            })

    @review.get("/samtaler/{sender_id}", response_class=HTMLResponse)
    def transcript_page(request: Request, sender_id: str) -> Response:
        with maker.begin() as db:
            found = _read(request, db, sender_id, "read")
            if isinstance(found, Response):
                return found
            return _render(request, "transcript.html", {
                "section": "samtaler", "t": found, "notes": store.notes_for(sender_id, session=db),
                "tags": store.tags_for(sender_id, session=db),
                "status": store.status_row(sender_id, session=db), "low": transcripts.LOW_CONFIDENCE,
            })

    @review.post("/samtaler/{sender_id}/notater")
    def add_note(request: Request, sender_id: str, text: str = Form(""), csrf_token: str = Form("")) -> Response:
        def change(db: Session, user: User) -> str:
            store.add_note(sender_id, str(user.username), text, session=db)
            return "Notatet er lagret."

        return _annotate(request, sender_id, csrf_token, "note", change)

    @review.post("/samtaler/{sender_id}/merker")
    def add_tag(request: Request, sender_id: str, tag: str = Form(""), csrf_token: str = Form("")) -> Response:
        def change(db: Session, user: User) -> str:
            return f"Merket «{store.add_tag(sender_id, tag, str(user.username), session=db)}» er lagt til."

        return _annotate(request, sender_id, csrf_token, "tag_add", change)

    @review.post("/samtaler/{sender_id}/merker/fjern")
    def remove_tag(request: Request, sender_id: str, tag: str = Form(""), csrf_token: str = Form("")) -> Response:
        def change(db: Session, user: User) -> str:
            if not store.remove_tag(sender_id, tag, session=db):
                raise store.AnnotationError("Merket fantes ikke.")
            return f"Merket «{tag}» er fjernet."

        return _annotate(request, sender_id, csrf_token, "tag_remove", change)

    @review.post("/samtaler/{sender_id}/status")
    def set_status(request: Request, sender_id: str, status: str = Form(""), csrf_token: str = Form("")) -> Response:
        def change(db: Session, user: User) -> str:
            store.set_status(sender_id, status, str(user.username), session=db)
            return f"Status: {store.STATUSES[status]}."

        return _annotate(request, sender_id, csrf_token, "status", change)

    def _annotate(
        request: Request, sender_id: str, token: str, action: str, change: Callable[[Session, User], str]
    ) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, READERS)
            if isinstance(user, Response):
                return user
            if failed := _csrf_failed(request, token):
                return failed
            if missing := _missing(request, db, user, sender_id):
                return missing
            try:
                message = change(db, user)
            except store.AnnotationError as exc:
                security.flash(request, str(exc))
            else:
                _audit(db, user, action, sender_id, detail=message)
                security.flash(request, message)
            return _redirect(request, f"/samtaler/{quote(sender_id, safe='')}#oppfolging")

    @review.get("/samtaler/{sender_id}/eksport.json")
    def export_json(request: Request, sender_id: str) -> Response:
        with maker.begin() as db:
            found = _read(request, db, sender_id, "export_json", api=True)
            if isinstance(found, Response):
                return found
            body = transcripts.transcript_as_json(found)
            body["notes"] = [
                {"author": n.author, "text": n.text, "created_at": _local(n.created_at)}
                for n in store.notes_for(sender_id, session=db)
            ]
            body["tags"] = store.tags_for(sender_id, session=db)
            row = store.status_row(sender_id, session=db)
            body["review_status"] = row.status if row is not None else "new"
            return Response(
                json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json",
                headers={"Content-Disposition": _attachment(sender_id, "json")},
            )

    @review.get("/samtaler/{sender_id}/eksport.csv")
    def export_csv(request: Request, sender_id: str) -> Response:
        with maker.begin() as db:
            found = _read(request, db, sender_id, "export_csv", api=True)
            if isinstance(found, Response):
                return found
            return Response(
                "\ufeff" + transcripts.transcript_as_csv(found), media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": _attachment(sender_id, "csv")},
            )

    @review.get("/samtaler/{sender_id}/utskrift", response_class=HTMLResponse)
    def print_page(request: Request, sender_id: str) -> Response:
        with maker.begin() as db:
            found = _read(request, db, sender_id, "print")
            if isinstance(found, Response):
                return found
            return _render(request, "print.html", {"t": found, "printed": datetime.now(LOCAL_TZ)})

    @review.get("/samtaler/{sender_id}/slett", response_class=HTMLResponse)
    def confirm_delete(request: Request, sender_id: str) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, READERS)
            if isinstance(user, Response):
                return user
            if missing := _missing(request, db, user, sender_id):
                return missing
            summary = transcripts.list_conversations(
                session=db, filters=ConversationFilters(include_ids=frozenset([sender_id]))
            )
            return _render(request, "delete.html", {"section": "samtaler", "s": summary[0]})

    @review.post("/samtaler/{sender_id}/slett")
    def delete(request: Request, sender_id: str, csrf_token: str = Form("")) -> Response:
        from bot.retention import delete_conversation

        with maker.begin() as db:
            user = _guard(request, db, READERS)
            if isinstance(user, Response):
                return user
            if failed := _csrf_failed(request, csrf_token):
                return failed
            if missing := _missing(request, db, user, sender_id):
                return missing
            # Nothing is written in this session before the deletion, so SQLite holds no lock here.
            deleted = delete_conversation(sender_id, settings=settings)
            store.delete_for(sender_id, session=db)
            _audit(db, user, "delete", sender_id, detail=None if deleted else "fantes ikke")
            security.flash(request, "Samtalen er slettet." if deleted else "Samtalen var allerede slettet.")
            return _redirect(request, "/samtaler")


def _attachment(sender_id: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in sender_id)[:80]
    return f'attachment; filename="samtale-{safe}.{extension}"'


def _quality_routes(review: FastAPI, maker: sessionmaker) -> None:
    @review.get("/kvalitet", response_class=HTMLResponse)
    def quality(request: Request) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, QUALITY)
            if isinstance(user, Response):
                return user
            start, end = _date(request.query_params.get("fra")), _date(request.query_params.get("til"))
            figures = dashboard.build(session=db, date_from=start, date_to=end, include_text=user.role == "admin")
            period = {k: v for k, v in (("fra", start), ("til", end)) if v}
            _audit(db, user, "dashboard", detail=urlencode(period) or None)
            return _render(request, "dashboard.html", {
                "section": "kvalitet", "d": figures, "charts": dashboard.CHARTS, "titles": dashboard.CHART_TITLES,
                "period": urlencode(period), "form": {k: str(v) for k, v in period.items()},
            })

    @review.get("/kvalitet/{name}.png")
    def chart(request: Request, name: str) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, QUALITY, api=True)
            if isinstance(user, Response):
                return user
            if name not in dashboard.CHARTS:
                return _error(request, 404)
            start, end = _date(request.query_params.get("fra")), _date(request.query_params.get("til"))
            figures = dashboard.build(session=db, date_from=start, date_to=end)
        return Response(dashboard.chart_png(name, figures), media_type="image/png")


def _admin_routes(review: FastAPI, maker: sessionmaker) -> None:
    @review.get("/brukere", response_class=HTMLResponse)
    def users(request: Request) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, ADMINS)
            if isinstance(user, Response):
                return user
            return _render(request, "users.html", {
                "section": "brukere", "users": accounts.list_users(session=db), "me": user, "error": None,
                "form": {"username": "", "role": "counsellor"}, "min_password": accounts.MIN_PASSWORD,
            })

    @review.post("/brukere", response_class=HTMLResponse)
    def create_user(
        request: Request,
        username: str = Form(""),
        role: str = Form(""),
        password: str = Form(""),
        password_again: str = Form(""),
        csrf_token: str = Form(""),
    ) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, ADMINS)
            if isinstance(user, Response):
                return user
            if failed := _csrf_failed(request, csrf_token):
                return failed
            try:
                if password != password_again:
                    raise accounts.AccountError("De to passordene er ikke like.")
                created = accounts.create_user(username, password, role, session=db)
            except accounts.AccountError as exc:
                return _render(request, "users.html", {
                    "section": "brukere", "users": accounts.list_users(session=db), "me": user, "error": str(exc),
                    "form": {"username": username, "role": role}, "min_password": accounts.MIN_PASSWORD,
                }, status=400)
            _audit(db, user, "user_create", detail=f"{created.username} ({created.role})")
            security.flash(request, f"Brukeren «{created.username}» er opprettet.")
            return _redirect(request, "/brukere")

    @review.post("/brukere/{user_id}/aktiv")
    def toggle_user(request: Request, user_id: int, active: str = Form(""), csrf_token: str = Form("")) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, ADMINS)
            if isinstance(user, Response):
                return user
            if failed := _csrf_failed(request, csrf_token):
                return failed
            if user_id == user.id:
                security.flash(request, "Du kan ikke stenge din egen tilgang.")
                return _redirect(request, "/brukere")
            changed = accounts.set_active(user_id, active == "ja", session=db)
            if changed is None:
                return _error(request, 404)
            _audit(db, user, "user_enable" if changed.active else "user_disable", detail=str(changed.username))
            security.flash(
                request, f"«{changed.username}» har {'tilgang igjen' if changed.active else 'ikke lenger tilgang'}."
            )
            return _redirect(request, "/brukere")

    @review.get("/logg", response_class=HTMLResponse)
    def audit_log(request: Request) -> Response:
        with maker.begin() as db:
            user = _guard(request, db, ADMINS)
            if isinstance(user, Response):
                return user
            params = request.query_params
            form = {k: (params.get(k) or "").strip() for k in ("bruker", "handling", "samtale", "fra", "til")}
            filters = audit.AuditFilters(
                username=form["bruker"] or None, action=form["handling"] or None, sender_id=form["samtale"] or None,
                date_from=_date(form["fra"]), date_to=_date(form["til"]),
            )
            page = max(1, _int(params.get("side"), 1) or 1)
            rows, total = audit.entries(
                session=db, filters=filters, limit=AUDIT_PAGE_SIZE, offset=(page - 1) * AUDIT_PAGE_SIZE
            )
            pages = max(1, math.ceil(total / AUDIT_PAGE_SIZE))
            _audit(db, user, "audit")
            return _render(request, "audit.html", {
                "section": "logg", "rows": rows, "total": total, "page": page, "pages": pages, "form": form,
                "links": _page_links(form, page, pages),
            })
