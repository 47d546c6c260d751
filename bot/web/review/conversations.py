"""Stored conversations for counsellors: the list, one transcript, notes and tags, exports, printing, deletion."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bot.clock import LOCAL_TZ
from bot.privacy import transcripts
from bot.privacy.redaction import redact_text
from bot.privacy.retention import delete_conversation
from bot.privacy.transcripts import ConversationFilters
from bot.settings import Settings
from bot.staff import notes
from bot.storage.tables.accounts import User
from bot.web.review import security
from bot.web.review.dependencies import (
    READERS,
    PageError,
    database,
    record,
    require_stored,
    settings_of,
    user_with_role,
    valid_form,
)
from bot.web.review.rendering import local, redirect, render

PAGE_SIZE = 25
router = APIRouter()
reader = user_with_role(*READERS)
api_reader = user_with_role(*READERS, api=True)


def parse_date(value: str | None) -> date | None:
    """A date from a form field, or None."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_int(value: str | None, default: int | None = None) -> int | None:
    """A whole number from a form field, or `default`."""
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _yes_no(value: str | None) -> bool | None:
    return {"ja": True, "nei": False}.get(value or "")


def page_links(form: Mapping[str, str], page: int, pages: int) -> dict[str, str | None]:
    """Links to the previous and next page with the same filters."""

    def link(number: int) -> str:
        return "?" + urlencode({**{k: v for k, v in form.items() if v}, "side": str(number)})

    return {"previous": link(page - 1) if page > 1 else None, "next": link(page + 1) if page < pages else None}


def _list_filters(params: Mapping[str, str], db: Session) -> tuple[ConversationFilters, dict[str, str]]:
    """The conversation list's filters from the query string; tag and status come from the store."""
    form = {key: (params.get(key) or "").strip() for key in (
        "fra", "til", "kanal", "knapp", "veileder", "haster", "forsto_ikke", "usikker", "vurdering", "merke",
        "status", "sok",
    )}
    include: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset()
    if form["merke"]:
        include = notes.senders_with_tag(form["merke"], session=db)
    if form["status"] == "new":
        exclude = frozenset(notes.statuses(session=db))
    elif form["status"] in notes.STATUSES:
        found = notes.senders_with_status(form["status"], session=db)
        include = found if include is None else include & found
    rating = parse_int(form["vurdering"])
    filters = ConversationFilters(
        date_from=parse_date(form["fra"]),
        date_to=parse_date(form["til"]),
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


def _read(db: Session, user: User, sender_id: str, action: str) -> transcripts.Transcript:
    """A counsellor's (or admin's) read of one stored transcript: 404 when unknown, audited."""
    found = transcripts.load_transcript(sender_id, session=db)
    if found is None:
        require_stored(db, user, sender_id)
        raise PageError(404)
    record(db, user, action, sender_id)
    return found


def _attachment(sender_id: str, extension: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in sender_id)[:80]
    return f'attachment; filename="samtale-{safe}.{extension}"'


@router.get("/samtaler", response_class=HTMLResponse)
def conversation_list(request: Request, user: User = Depends(reader), db: Session = database) -> Response:
    filters, form = _list_filters(request.query_params, db)
    found = transcripts.list_conversations(session=db, filters=filters)
    pages = max(1, math.ceil(len(found) / PAGE_SIZE))
    page = min(max(1, parse_int(request.query_params.get("side"), 1) or 1), pages)
    used = "&".join(f"{k}={redact_text(v) if k == 'sok' else v}" for k, v in form.items() if v)
    record(db, user, "list", detail=used or None)  # a search for a name or a number is logged without it
    return render(request, "list.html", {
        "section": "samtaler", "conversations": found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(found), "page": page, "pages": pages, "links": page_links(form, page, pages),
        "form": form, "channels": transcripts.channels(session=db), "knapp_keys": transcripts.knapp_keys(),
        "tags": notes.all_tags(session=db), "tags_by_sender": notes.tags_by_sender(session=db),
        "status_by_sender": notes.statuses(session=db), "filtered": bool(used),
    })


@router.get("/samtaler/{sender_id}", response_class=HTMLResponse)
def transcript_page(
    request: Request, sender_id: str, user: User = Depends(reader), db: Session = database
) -> Response:
    found = _read(db, user, sender_id, "read")
    return render(request, "transcript.html", {
        "section": "samtaler", "t": found, "notes": notes.notes_for(sender_id, session=db),
        "tags": notes.tags_for(sender_id, session=db),
        "status": notes.status_row(sender_id, session=db), "low": transcripts.LOW_CONFIDENCE,
    })


def _annotate(
    request: Request, db: Session, user: User, sender_id: str, action: str, change: Callable[[], str]
) -> Response:
    """A note, tag or status on a stored conversation: flashed, audited, back to the transcript."""
    require_stored(db, user, sender_id)
    try:
        message = change()
    except notes.AnnotationError as exc:
        security.flash(request, str(exc))
    else:
        record(db, user, action, sender_id, detail=message)
        security.flash(request, message)
    return redirect(request, f"/samtaler/{quote(sender_id, safe='')}#oppfolging")


@router.post("/samtaler/{sender_id}/notater")
def add_note(
    request: Request, sender_id: str, text: str = Form(""),
    user: User = Depends(reader), _: None = Depends(valid_form), db: Session = database,
) -> Response:
    def change() -> str:
        notes.add_note(sender_id, str(user.username), text, session=db)
        return "Notatet er lagret."

    return _annotate(request, db, user, sender_id, "note", change)


@router.post("/samtaler/{sender_id}/merker")
def add_tag(
    request: Request, sender_id: str, tag: str = Form(""),
    user: User = Depends(reader), _: None = Depends(valid_form), db: Session = database,
) -> Response:
    def change() -> str:
        return f"Merket «{notes.add_tag(sender_id, tag, str(user.username), session=db)}» er lagt til."

    return _annotate(request, db, user, sender_id, "tag_add", change)


@router.post("/samtaler/{sender_id}/merker/fjern")
def remove_tag(
    request: Request, sender_id: str, tag: str = Form(""),
    user: User = Depends(reader), _: None = Depends(valid_form), db: Session = database,
) -> Response:
    def change() -> str:
        if not notes.remove_tag(sender_id, tag, session=db):
            raise notes.AnnotationError("Merket fantes ikke.")
        return f"Merket «{tag}» er fjernet."

    return _annotate(request, db, user, sender_id, "tag_remove", change)


@router.post("/samtaler/{sender_id}/status")
def set_status(
    request: Request, sender_id: str, status: str = Form(""),
    user: User = Depends(reader), _: None = Depends(valid_form), db: Session = database,
) -> Response:
    def change() -> str:
        notes.set_status(sender_id, status, str(user.username), session=db)
        return f"Status: {notes.STATUSES[status]}."

    return _annotate(request, db, user, sender_id, "status", change)


@router.get("/samtaler/{sender_id}/eksport.json")
def export_json(sender_id: str, user: User = Depends(api_reader), db: Session = database) -> Response:
    found = _read(db, user, sender_id, "export_json")
    body: dict[str, Any] = transcripts.transcript_as_json(found)
    body["notes"] = [
        {"author": n.author, "text": n.text, "created_at": local(n.created_at)}
        for n in notes.notes_for(sender_id, session=db)
    ]
    body["tags"] = notes.tags_for(sender_id, session=db)
    row = notes.status_row(sender_id, session=db)
    body["review_status"] = row.status if row is not None else "new"
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json",
        headers={"Content-Disposition": _attachment(sender_id, "json")},
    )


@router.get("/samtaler/{sender_id}/eksport.csv")
def export_csv(sender_id: str, user: User = Depends(api_reader), db: Session = database) -> Response:
    found = _read(db, user, sender_id, "export_csv")
    return Response(
        "\ufeff" + transcripts.transcript_as_csv(found), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": _attachment(sender_id, "csv")},
    )


@router.get("/samtaler/{sender_id}/utskrift", response_class=HTMLResponse)
def print_page(
    request: Request, sender_id: str, user: User = Depends(reader), db: Session = database
) -> Response:
    found = _read(db, user, sender_id, "print")
    return render(request, "print.html", {"t": found, "printed": datetime.now(LOCAL_TZ)})


@router.get("/samtaler/{sender_id}/slett", response_class=HTMLResponse)
def confirm_delete(
    request: Request, sender_id: str, user: User = Depends(reader), db: Session = database
) -> Response:
    require_stored(db, user, sender_id)
    summary = transcripts.list_conversations(
        session=db, filters=ConversationFilters(include_ids=frozenset([sender_id]))
    )
    return render(request, "delete.html", {"section": "samtaler", "s": summary[0]})


@router.post("/samtaler/{sender_id}/slett")
def delete(
    request: Request, sender_id: str,
    user: User = Depends(reader), _: None = Depends(valid_form), db: Session = database,
    settings: Settings = Depends(settings_of),
) -> Response:
    require_stored(db, user, sender_id)
    # Nothing is written in this session before the deletion, so SQLite holds no lock here.
    deleted = delete_conversation(sender_id, settings=settings)
    notes.delete_for(sender_id, session=db)
    record(db, user, "delete", sender_id, detail=None if deleted else "fantes ikke")
    security.flash(request, "Samtalen er slettet." if deleted else "Samtalen var allerede slettet.")
    return redirect(request, "/samtaler")
