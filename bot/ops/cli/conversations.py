"""`veivalg transcripts|plan|handoffs`: stored conversations, plans and the queue."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.clock import LOCAL_TZ
from bot.settings import Settings
from bot.storage.engine import conversation_session_factory, session_factory
from bot.storage.schema import create_tables


def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    """Print a user's «min plan», as text or as a printable HTML page (stored conversations only)."""
    from datetime import date

    from bot.guidance.plan import plan_html, plan_messages
    from bot.rasa_adapter.stored import stored_slots

    slots = stored_slots(args.sender_id, settings=settings)
    if slots is None:
        print(f"[veivalg] fant ingen lagret samtale med id {args.sender_id}", file=sys.stderr)
        return 1
    with session_factory().begin() as session:
        messages = plan_messages(slots, session=session)
    if args.html:
        Path(args.html).write_text(plan_html(messages, date.today().strftime("%d.%m.%Y")), encoding="utf-8")
        print(f"[veivalg] utskriftsvennlig plan skrevet til {args.html}")
    else:
        print("\n\n".join(messages))
    return 0


def cmd_handoffs_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the counsellors' queue: urgent first, then oldest."""
    from bot.handover.queue import DONE, NEW, TAKEN, queue

    create_tables(settings.database_url)
    statuses = (NEW, TAKEN, DONE) if args.all else (NEW, TAKEN)
    with session_factory(settings.database_url).begin() as session:
        entries = [entry.as_dict() for entry in queue(session=session, statuses=statuses)]
    from bot.staff.audit import summaries_shown

    shown = [str(entry["contact_code"]) for entry in entries if entry.get("summary")] if args.json else []
    _audited_read(settings, "queue", detail=summaries_shown(shown))
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    if not entries:
        print("Køen er tom.")
        return 0
    for entry in entries:
        flag = "HASTER " if entry["urgent"] else ""
        print(f"{flag}{entry['contact_code']}  {entry['status']:<6}  {entry['created_at'][:16]}  "
              f"{entry['sender_id']}  {entry['reason']}")
    return 0


def cmd_transcripts_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Delete every conversation with no message for the retention period (or --days)."""
    from bot.privacy.retention import purge

    if args.days is not None and args.days < 1:
        print("--days må være 1 eller mer.", file=sys.stderr)
        return 2
    create_tables(settings.database_url)
    result = purge(settings=settings, days=args.days)
    days = settings.retention_days if args.days is None else args.days
    print(f"Slettet {result.conversations} samtaler ({result.events} hendelser, {result.rows} andre rader) "
          f"uten meldinger de siste {days} dagene.")
    return 0


def cmd_transcripts_delete(args: argparse.Namespace, settings: Settings) -> int:
    """Delete one conversation, its transcript and summary; non-zero when it did not exist."""
    from bot.privacy.retention import delete_conversation

    create_tables(settings.database_url)
    if not delete_conversation(args.sender_id, settings=settings):
        print(f"Fant ingen lagret samtale med id {args.sender_id}.", file=sys.stderr)
        return 1
    print(f"Samtalen {args.sender_id} er slettet.")
    return 0


def _audited_read(settings: Settings, action: str, sender_id: str | None = None, detail: str | None = None) -> None:
    """Reads from the command line go into the review app's audit log too."""
    import getpass

    from bot.staff.audit import record

    create_tables(settings.database_url)
    with session_factory(settings.database_url).begin() as session:
        record(action, session=session, username=f"kommandolinje:{getpass.getuser()}", sender_id=sender_id,
               detail=detail)


def cmd_transcripts_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print one stored (redacted) conversation, as text or JSON."""
    from bot.privacy import transcripts

    create_tables(settings.database_url)  # «min plan» reads the catalogue's names
    with conversation_session_factory(settings).begin() as session:
        found = transcripts.load_transcript(args.sender_id, session=session)
    if found is None:
        _audited_read(settings, "not_found", args.sender_id[:255])
        print(f"[veivalg] fant ingen lagret samtale med id {args.sender_id}", file=sys.stderr)
        return 1
    _audited_read(settings, "read", args.sender_id)
    if args.json:
        print(json.dumps(transcripts.transcript_as_json(found), ensure_ascii=False, indent=2))
    else:
        print(transcripts.transcript_as_text(found))
    return 0


def cmd_transcripts_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every stored conversation, most recently active first."""
    from bot.privacy import transcripts
    with conversation_session_factory(settings).begin() as session:
        found = transcripts.list_conversations(session=session)
    _audited_read(settings, "list")
    if args.json:
        print(json.dumps([transcripts.summary_as_json(s) for s in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("Ingen lagrede samtaler.")
        return 0
    for s in found:
        flags = " ".join(
            flag for flag, on in (("HASTER", s.urgent), ("VEILEDER", s.handover_requested),
                                  (f"FORSTO-IKKE:{s.fallbacks}", s.fallbacks)) if on
        )
        last = s.last_at.astimezone(LOCAL_TZ)
        print(f"{s.sender_id}  {last:%d.%m.%Y %H.%M}  {s.channel or '-':<8} {s.user_messages:>3} meldinger  {flags}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """`plan`, `transcripts show|list|purge|delete` and `handoffs list`."""
    plan = commands.add_parser("plan", help="vis «min plan» for en lagret samtale")
    plan.add_argument("sender_id")
    plan.add_argument("--html", metavar="FIL", help="skriv en utskriftsvennlig side")
    plan.set_defaults(func=cmd_plan)
    found = commands.add_parser("transcripts", help="lagrede samtaler")
    transcript_commands = found.add_subparsers(dest="transcripts_command", required=True, metavar="KOMMANDO")
    show = transcript_commands.add_parser("show", help="vis en lagret samtale")
    show.add_argument("sender_id", metavar="SAMTALE")
    show.add_argument("--json", action="store_true", help="skriv JSON")
    show.set_defaults(func=cmd_transcripts_show)
    listing = transcript_commands.add_parser("list", help="vis alle lagrede samtaler, nyeste først")
    listing.add_argument("--json", action="store_true", help="skriv JSON")
    listing.set_defaults(func=cmd_transcripts_list)
    purge = transcript_commands.add_parser("purge", help="slett samtaler eldre enn lagringstiden")
    purge.add_argument("--days", type=int, help="slett det som er eldre enn så mange dager (standard: innstillingen)")
    purge.set_defaults(func=cmd_transcripts_purge)
    delete = transcript_commands.add_parser("delete", help="slett én samtale med alt som hører til")
    delete.add_argument("sender_id", metavar="SAMTALE")
    delete.set_defaults(func=cmd_transcripts_delete)
    handoffs = commands.add_parser("handoffs", help="køen av folk som vil snakke med en veileder")
    handoff_commands = handoffs.add_subparsers(dest="handoffs_command", required=True, metavar="KOMMANDO")
    handoff_list = handoff_commands.add_parser("list", help="vis køen, de som haster først")
    handoff_list.add_argument("--json", action="store_true", help="skriv JSON")
    handoff_list.add_argument("--all", action="store_true", help="ta med de som er ferdige")
    handoff_list.set_defaults(func=cmd_handoffs_list)
