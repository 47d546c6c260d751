"""A person's own account: where they are logged in, log out the others, change the password."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bot.staff import accounts, sessions
from bot.storage.tables.accounts import User
from bot.web.review import security
from bot.web.review.dependencies import database, record, user_with_role, valid_form
from bot.web.review.rendering import redirect, render

router = APIRouter()
anyone = user_with_role(*accounts.ROLES)


def _this_session(request: Request) -> str | None:
    """The server-side session token behind this browser's cookie."""
    who = security.identity(request)
    return who.session_token if who else None


def _page(request: Request, db: Session, user: User, error: str | None = None) -> Response:
    token = _this_session(request)
    rows = sessions.open_sessions(int(user.id), session=db)
    listed = [{"row": row, "this": sessions.is_this(row, token)} for row in rows]
    return render(request, "account.html", {
        "section": "konto", "sessions": listed, "others": sum(not s["this"] for s in listed), "error": error,
        "min_password": accounts.MIN_PASSWORD,
    }, status=400 if error else 200)


@router.get("/konto", response_class=HTMLResponse)
def account(request: Request, user: User = Depends(anyone), db: Session = database) -> Response:
    return _page(request, db, user)


@router.post("/konto/logg-ut-andre", dependencies=[Depends(valid_form)])
def end_other_sessions(request: Request, user: User = Depends(anyone), db: Session = database) -> Response:
    ended = sessions.close_others(int(user.id), _this_session(request), session=db)
    record(db, user, "sessions_end_others", detail=str(ended))
    security.flash(request, "Du er logget ut alle andre steder." if ended else "Du var ikke logget inn andre steder.")
    return redirect(request, "/konto")


@router.post("/konto/passord", response_class=HTMLResponse, dependencies=[Depends(valid_form)])
def change_password(
    request: Request,
    current: str = Form(""),
    new: str = Form(""),
    again: str = Form(""),
    user: User = Depends(anyone),
    db: Session = database,
) -> Response:
    client = request.client.host if request.client else None
    try:
        accounts.change_password(user, current, new, again, session=db, client=client)
    except accounts.AccountError as exc:
        record(db, user, "password_change_failed")
        return _page(request, db, user, str(exc))
    sessions.close_others(int(user.id), _this_session(request), session=db)
    record(db, user, "password_change")
    security.flash(request, "Passordet er byttet. Alle andre pålogginger er avsluttet.")
    return redirect(request, "/konto")
