"""Logging in and out of the review app."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from bot.staff import accounts, audit, sessions
from bot.web.review import security
from bot.web.review.dependencies import database, valid_form
from bot.web.review.rendering import redirect, render, root

router = APIRouter()


def home_of(role: str) -> str:
    """Where a role starts: leaders see quality figures, everyone else the conversations."""
    return "/kvalitet" if role == "leader" else "/samtaler"


@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    who = security.identity(request)
    return redirect(request, home_of(who.role) if who else "/login")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, neste: str = "") -> Response:
    who = security.identity(request)
    if who is not None:
        return redirect(request, home_of(who.role))
    return render(request, "login.html", {"next": neste, "error": None, "username": ""})


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(valid_form)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    neste: str = Form(""),
    db: Session = database,
) -> Response:
    name = accounts.normalize_username(username)
    client = request.client.host if request.client else None
    result = accounts.authenticate(username, password, session=db, client=client)
    if result.user is None:
        action = "login_locked" if result.locked else "login_wait" if result.wait else "login_failed"
        audit.record(action, session=db, username=name or "(tomt)")
        error = (
            accounts.LOCKED_TEXT
            if result.locked
            else accounts.WAIT_TEXT if result.wait
            else "Feil brukernavn eller passord. Prøv igjen."
        )
        context = {"next": neste, "error": error, "username": username}
        return render(request, "login.html", context, status=429 if result.locked or result.wait else 401)
    user = result.user
    audit.record("login", session=db, username=user.username, role=user.role)
    token = sessions.open_session(int(user.id), session=db)
    security.start_session(request, int(user.id), str(user.username), str(user.role), token)
    target = security.safe_next(neste, root(request))
    if target and user.role == "leader" and not target.startswith(root(request) + "/kvalitet"):
        target = None
    return RedirectResponse(target or root(request) + home_of(str(user.role)), status_code=303)


@router.post("/logout", dependencies=[Depends(valid_form)])
def logout(request: Request, db: Session = database) -> Response:
    who = security.identity(request)
    if who is not None:
        audit.record("logout", session=db, username=who.username, role=who.role)
        sessions.close_session(who.session_token, session=db)
    security.end_session(request)
    security.flash(request, "Du er logget ut.")
    return redirect(request, "/login")
