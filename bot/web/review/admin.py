"""Administration: review-app users and the audit log."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bot.staff import accounts, audit
from bot.storage.tables.accounts import User
from bot.web.review import security
from bot.web.review.conversations import page_links, parse_date, parse_int
from bot.web.review.dependencies import ADMINS, PageError, database, record, user_with_role, valid_form
from bot.web.review.rendering import redirect, render

AUDIT_PAGE_SIZE = 50
router = APIRouter()
admin = user_with_role(*ADMINS)


def _users_page(request: Request, db: Session, me: User, error: str | None, form: dict[str, str]) -> Response:
    return render(request, "users.html", {
        "section": "brukere", "users": accounts.list_users(session=db), "me": me, "error": error,
        "form": form, "min_password": accounts.MIN_PASSWORD,
    }, status=400 if error else 200)


@router.get("/brukere", response_class=HTMLResponse)
def users(request: Request, user: User = Depends(admin), db: Session = database) -> Response:
    return _users_page(request, db, user, None, {"username": "", "role": "counsellor"})


@router.post("/brukere", response_class=HTMLResponse)
def create_user(
    request: Request,
    username: str = Form(""),
    role: str = Form(""),
    password: str = Form(""),
    password_again: str = Form(""),
    user: User = Depends(admin),
    _: None = Depends(valid_form),
    db: Session = database,
) -> Response:
    try:
        if password != password_again:
            raise accounts.AccountError("De to passordene er ikke like.")
        created = accounts.create_user(username, password, role, session=db)
    except accounts.AccountError as exc:
        return _users_page(request, db, user, str(exc), {"username": username, "role": role})
    record(db, user, "user_create", detail=f"{created.username} ({created.role})")
    security.flash(request, f"Brukeren «{created.username}» er opprettet.")
    return redirect(request, "/brukere")


@router.post("/brukere/{user_id}/aktiv")
def toggle_user(
    request: Request, user_id: int, active: str = Form(""),
    user: User = Depends(admin), _: None = Depends(valid_form), db: Session = database,
) -> Response:
    if user_id == user.id:
        security.flash(request, "Du kan ikke stenge din egen tilgang.")
        return redirect(request, "/brukere")
    changed = accounts.set_active(user_id, active == "ja", session=db)
    if changed is None:
        raise PageError(404)
    record(db, user, "user_enable" if changed.active else "user_disable", detail=str(changed.username))
    security.flash(request, f"«{changed.username}» har {'tilgang igjen' if changed.active else 'ikke lenger tilgang'}.")
    return redirect(request, "/brukere")


@router.get("/logg", response_class=HTMLResponse)
def audit_log(request: Request, user: User = Depends(admin), db: Session = database) -> Response:
    params = request.query_params
    form = {k: (params.get(k) or "").strip() for k in ("bruker", "handling", "samtale", "fra", "til")}
    filters = audit.AuditFilters(
        username=form["bruker"] or None, action=form["handling"] or None, sender_id=form["samtale"] or None,
        date_from=parse_date(form["fra"]), date_to=parse_date(form["til"]),
    )
    page = max(1, parse_int(params.get("side"), 1) or 1)
    rows, total = audit.entries(session=db, filters=filters, limit=AUDIT_PAGE_SIZE, offset=(page - 1) * AUDIT_PAGE_SIZE)
    pages = max(1, math.ceil(total / AUDIT_PAGE_SIZE))
    record(db, user, "audit")
    return render(request, "audit.html", {
        "section": "logg", "rows": rows, "total": total, "page": page, "pages": pages, "form": form,
        "links": page_links(form, page, pages),
    })
