"""The counsellors' queue and live chat: who is online, take a case, write, hand back; every step audited."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import Session

from bot.handover import queue as handover
from bot.privacy import transcripts
from bot.rasa_adapter.http_api import Takeover, TakeoverError
from bot.settings import Settings
from bot.staff import audit
from bot.storage.tables.accounts import User
from bot.storage.tables.handover import DONE, Handoff
from bot.web.chat.process_hub import get_hub
from bot.web.review import security
from bot.web.review.dependencies import (
    COUNSELLORS,
    LoginRequired,
    PageError,
    database,
    record,
    settings_of,
    user_with_role,
    valid_form,
)
from bot.web.review.rendering import redirect, render

router = APIRouter()
counsellor = user_with_role(*COUNSELLORS)


def _publish(sender_id: str, author: str, text: str, label: str | None) -> None:
    """Show a counsellor's (or the system's) message at once in the widget or terminal of this conversation."""
    get_hub().publish(sender_id, author, text, author_label=label)


def takeover_for(settings: Settings) -> Takeover:
    """The client for Rasa's HTTP API, pushing what it writes to the user's screen."""
    return Takeover(settings, publish=_publish)


@router.get("/ko", response_class=HTMLResponse)
def queue_page(request: Request, user: User = Depends(counsellor), db: Session = database) -> Response:
    entries = handover.queue(session=db)
    stored = {e.sender_id for e in entries if transcripts.conversation_exists(e.sender_id, session=db)}
    online = handover.is_online(user.username, session=db)
    record(db, user, "queue", detail=audit.summaries_shown(e.contact_code for e in entries if e.summary))
    return render(request, "queue.html", {"section": "ko", "entries": entries, "stored": stored,
                                          "online": online, "me": user.username})


@router.post("/ko/palogget", dependencies=[Depends(valid_form)])
def set_online(
    request: Request, online: str = Form(""), user: User = Depends(counsellor), db: Session = database
) -> Response:
    handover.set_online(user.username, online == "ja", session=db)
    record(db, user, "online", detail="pålogget" if online == "ja" else "avlogget")
    return redirect(request, "/ko")


def _move(
    request: Request, db: Session, user: User, handoff_id: int, action: str,
    change: Callable[[], Handoff | None], to_chat: bool,
) -> Response:
    """Take or close a queue entry: 404 when it cannot be changed, audited."""
    entry = change()
    if entry is None:
        raise PageError(404)
    record(db, user, action, entry.sender_id, entry.contact_code)
    return redirect(request, f"/ko/{handoff_id}/chat" if to_chat and entry.live else "/ko")


@router.post("/ko/{handoff_id}/ta", dependencies=[Depends(valid_form)])
def take(
    request: Request, handoff_id: int, user: User = Depends(counsellor), db: Session = database
) -> Response:
    return _move(request, db, user, handoff_id, "handoff_take",
                 lambda: handover.take(handoff_id, user.username, session=db), to_chat=True)


@router.post("/ko/{handoff_id}/overta", dependencies=[Depends(valid_form)])
def take_from_someone_else(
    request: Request, handoff_id: int, user: User = Depends(counsellor), db: Session = database
) -> Response:
    """A deliberate step, audited with the name of the counsellor who held the entry."""
    entry = db.get(Handoff, handoff_id)
    if entry is None or entry.status == DONE:
        raise PageError(404)
    before = entry.taken_by or ""
    taken = handover.take(handoff_id, user.username, session=db, from_someone_else=True)
    if taken is None:
        raise PageError(404)
    record(db, user, "handoff_take_over_from", taken.sender_id, f"{taken.contact_code}: fra {before}".strip())
    return redirect(request, f"/ko/{handoff_id}/chat" if taken.live else "/ko")


@router.post("/ko/{handoff_id}/ferdig", dependencies=[Depends(valid_form)])
def done(
    request: Request, handoff_id: int, user: User = Depends(counsellor), db: Session = database
) -> Response:
    return _move(request, db, user, handoff_id, "handoff_done",
                 lambda: handover.close(handoff_id, session=db, username=user.username, admin=user.role == "admin"),
                 to_chat=False)


def taken_by_me(handoff_id: int, user: User = Depends(counsellor), db: Session = database) -> Handoff:
    """A dependency: the open queue entry this counsellor took; 404 or 403 otherwise."""
    entry = db.get(Handoff, handoff_id)
    if entry is None or entry.status == DONE:
        raise PageError(404)
    if entry.taken_by != user.username:
        raise PageError(403)
    return entry


@router.get("/ko/{handoff_id}/chat", response_class=HTMLResponse)
def live_page(
    request: Request, entry: Handoff = Depends(taken_by_me), user: User = Depends(counsellor),
    db: Session = database, settings: Settings = Depends(settings_of),
) -> Response:
    record(db, user, "live_read", entry.sender_id, entry.contact_code)
    try:
        lines, problem = takeover_for(settings).messages(entry.sender_id, shared=bool(entry.summary)), None
    except TakeoverError as exc:
        lines, problem = [], str(exc)
    return render(request, "live.html", {"section": "ko", "entry": entry, "lines": lines, "problem": problem})


def _live_entry(request: Request, handoff_id: int, db: Session) -> tuple[Handoff, User]:
    """The entry and its reader for the page's script: refusals as JSON instead of pages."""
    user = user_with_role(*COUNSELLORS)(request, db)
    return taken_by_me(handoff_id, user, db), user


@router.get("/ko/{handoff_id}/meldinger.json")
def live_messages(
    request: Request, handoff_id: int, db: Session = database, settings: Settings = Depends(settings_of)
) -> Response:
    try:
        entry, reader = _live_entry(request, handoff_id, db)
    except LoginRequired:
        return JSONResponse({"error": "Ingen tilgang."}, status_code=303)
    except PageError as refused:
        return JSONResponse({"error": "Ingen tilgang."}, status_code=refused.status)
    try:
        lines = takeover_for(settings).messages(entry.sender_id, shared=bool(entry.summary))
    except TakeoverError as exc:
        return JSONResponse({"error": str(exc)}, status_code=502)
    audit.record_reading("live_poll", session=db, username=reader.username, role=reader.role,
                         sender_id=entry.sender_id, detail=entry.contact_code)
    return JSONResponse({"lines": lines})


def _live_action(
    request: Request, db: Session, user: User, entry: Handoff, settings: Settings, action: str, text: str = ""
) -> Response:
    sender = entry.sender_id
    try:
        control = takeover_for(settings)
        if action == "takeover":
            control.take_over(sender)
        elif action == "counsellor_message":
            control.say(sender, text)
        elif action == "hand_back":
            control.hand_back(sender)
            handover.close(entry.id, session=db, username=user.username)
    except TakeoverError as exc:
        security.flash(request, str(exc))
    else:
        record(db, user, action, sender, entry.contact_code)
    return redirect(request, "/ko" if action == "hand_back" else f"/ko/{entry.id}/chat")


@router.post("/ko/{handoff_id}/ta-over", dependencies=[Depends(valid_form)])
def take_over(
    request: Request, entry: Handoff = Depends(taken_by_me), user: User = Depends(counsellor),
    db: Session = database, settings: Settings = Depends(settings_of),
) -> Response:
    return _live_action(request, db, user, entry, settings, "takeover")


@router.post("/ko/{handoff_id}/skriv", dependencies=[Depends(valid_form)])
def write(
    request: Request, text: str = Form(""), entry: Handoff = Depends(taken_by_me), user: User = Depends(counsellor),
    db: Session = database, settings: Settings = Depends(settings_of),
) -> Response:
    return _live_action(request, db, user, entry, settings, "counsellor_message", text[:2000])


@router.post("/ko/{handoff_id}/gi-tilbake", dependencies=[Depends(valid_form)])
def hand_back(
    request: Request, entry: Handoff = Depends(taken_by_me), user: User = Depends(counsellor),
    db: Session = database, settings: Settings = Depends(settings_of),
) -> Response:
    return _live_action(request, db, user, entry, settings, "hand_back")
