"""The counsellors' queue and live chat in the review app: who is online, take a case, write, hand back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.orm import sessionmaker

from bot import handover, transcripts
from bot.review import audit, security
from bot.review.accounts import User
from bot.settings import Settings
from bot.takeover import Takeover, TakeoverError

COUNSELLORS = ("counsellor", "admin")

audit.ACTIONS.update(
    {
        "queue": "Så køen",
        "online": "Satte seg som pålogget eller avlogget",
        "handoff_take": "Tok en sak fra køen",
        "handoff_done": "Merket en sak som ferdig",
        "takeover": "Tok over en samtale",
        "counsellor_message": "Skrev til en bruker",
        "hand_back": "Ga samtalen tilbake til Veivalg",
        "live_read": "Fulgte en samtale direkte",
    }
)


def add_handoff_routes(
    review: FastAPI,
    maker: sessionmaker,
    settings: Settings,
    *,
    render: Callable[..., HTMLResponse],
    guard: Callable[..., User | Response],
    csrf_failed: Callable[[Request, str], Response | None],
    redirect: Callable[[Request, str], Response],
    error: Callable[[Request, int], HTMLResponse],
    takeover: Callable[[], Takeover] | None = None,
) -> None:
    """Queue at /ko, live chat at /ko/{id}/chat; counsellors and admins only, every step audited."""
    make_takeover = takeover or (lambda: Takeover(settings))

    def record(db: Any, user: User, action: str, sender_id: str | None = None, detail: str | None = None) -> None:
        audit.record(action, session=db, username=user.username, role=user.role, sender_id=sender_id, detail=detail)

    @review.get("/ko", response_class=HTMLResponse)
    def queue_page(request: Request) -> Response:
        with maker.begin() as db:
            user = guard(request, db, COUNSELLORS)
            if not isinstance(user, User):
                return user
            entries = handover.queue(session=db)
            stored = {e.sender_id for e in entries if transcripts.conversation_exists(e.sender_id, session=db)}
            online = handover.is_online(user.username, session=db)
            record(db, user, "queue")
            return render(request, "queue.html", {"section": "ko", "entries": entries, "stored": stored,
                                                  "online": online, "me": user.username})

    @review.post("/ko/palogget")
    def set_online(request: Request, csrf_token: str = Form(""), online: str = Form("")) -> Response:
        if failed := csrf_failed(request, csrf_token):
            return failed
        with maker.begin() as db:
            user = guard(request, db, COUNSELLORS)
            if not isinstance(user, User):
                return user
            handover.set_online(user.username, online == "ja", session=db)
            record(db, user, "online", detail="pålogget" if online == "ja" else "avlogget")
        return redirect(request, "/ko")

    def move(
        request: Request, handoff_id: int, csrf_token: str, action: str,
        change: Callable[[Any, User], handover.Handoff | None], to_chat: bool,
    ) -> Response:
        """Take or close a queue entry: CSRF, role, 404 when it cannot be changed, audited."""
        if failed := csrf_failed(request, csrf_token):
            return failed
        with maker.begin() as db:
            user = guard(request, db, COUNSELLORS)
            if not isinstance(user, User):
                return user
            entry = change(db, user)
            if entry is None:
                return error(request, 404)
            record(db, user, action, entry.sender_id, entry.contact_code)
            live = bool(entry.live)
        return redirect(request, f"/ko/{handoff_id}/chat" if to_chat and live else "/ko")

    @review.post("/ko/{handoff_id}/ta")
    def take(request: Request, handoff_id: int, csrf_token: str = Form("")) -> Response:
        return move(request, handoff_id, csrf_token, "handoff_take",
                    lambda db, user: handover.take(handoff_id, user.username, session=db), to_chat=True)

    @review.post("/ko/{handoff_id}/ferdig")
    def done(request: Request, handoff_id: int, csrf_token: str = Form("")) -> Response:
        return move(request, handoff_id, csrf_token, "handoff_done",
                    lambda db, user: handover.close(handoff_id, session=db), to_chat=False)

    def taken_by_me(request: Request, db: Any, handoff_id: int) -> tuple[User, handover.Handoff] | Response:
        user = guard(request, db, COUNSELLORS)
        if not isinstance(user, User):
            return user
        entry = db.get(handover.Handoff, handoff_id)
        if entry is None or entry.status == handover.DONE:
            return error(request, 404)
        if entry.taken_by != user.username:
            return error(request, 403)
        return user, entry

    @review.get("/ko/{handoff_id}/chat", response_class=HTMLResponse)
    def live_page(request: Request, handoff_id: int) -> Response:
        with maker.begin() as db:
            found = taken_by_me(request, db, handoff_id)
            if isinstance(found, Response):
                return found
            user, entry = found
            record(db, user, "live_read", entry.sender_id, entry.contact_code)
            try:
                lines, problem = make_takeover().messages(entry.sender_id), None
            except TakeoverError as exc:
                lines, problem = [], str(exc)
            return render(request, "live.html", {"section": "ko", "entry": entry, "lines": lines,
                                                 "problem": problem})

    @review.get("/ko/{handoff_id}/meldinger.json")
    def live_messages(request: Request, handoff_id: int) -> Response:
        with maker.begin() as db:
            found = taken_by_me(request, db, handoff_id)
            if isinstance(found, Response):
                return JSONResponse({"error": "Ingen tilgang."}, status_code=found.status_code)
            _, entry = found
            sender = entry.sender_id
        try:
            return JSONResponse({"lines": make_takeover().messages(sender)})
        except TakeoverError as exc:
            return JSONResponse({"error": str(exc)}, status_code=502)

    def live_action(request: Request, handoff_id: int, csrf_token: str, action: str, text: str = "") -> Response:
        if failed := csrf_failed(request, csrf_token):
            return failed
        with maker.begin() as db:
            found = taken_by_me(request, db, handoff_id)
            if isinstance(found, Response):
                return found
            user, entry = found
            sender = entry.sender_id
            try:
                control = make_takeover()
                if action == "takeover":
                    control.take_over(sender)
                elif action == "counsellor_message":
                    control.say(sender, text)
                elif action == "hand_back":
                    control.hand_back(sender)
                    handover.close(handoff_id, session=db)
            except TakeoverError as exc:
                security.flash(request, str(exc))
            else:
                record(db, user, action, sender, entry.contact_code)
        return redirect(request, "/ko" if action == "hand_back" else f"/ko/{handoff_id}/chat")

    @review.post("/ko/{handoff_id}/ta-over")
    def take_over(request: Request, handoff_id: int, csrf_token: str = Form("")) -> Response:
        return live_action(request, handoff_id, csrf_token, "takeover")

    @review.post("/ko/{handoff_id}/skriv")
    def write(request: Request, handoff_id: int, csrf_token: str = Form(""), text: str = Form("")) -> Response:
        return live_action(request, handoff_id, csrf_token, "counsellor_message", text[:2000])

    @review.post("/ko/{handoff_id}/gi-tilbake")
    def hand_back(request: Request, handoff_id: int, csrf_token: str = Form("")) -> Response:
        return live_action(request, handoff_id, csrf_token, "hand_back")
