"""A tracker store that keeps a conversation only when the user said yes to storing it."""

from __future__ import annotations

import json
import time
from typing import Any

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

CONSENT_SLOT = "consent_to_store"
MEMORY_SECONDS = 3 * 60 * 60
DELETE_ACTION = "action_delete_conversation"
# Slots that survive «slett samtalen min»: the answer about storage and the retention period.
KEPT_AFTER_DELETION = (CONSENT_SLOT, "retention_days")


def forget_before_deletion(tracker: DialogueStateTracker, domain: Domain) -> DialogueStateTracker:
    """The conversation as it stands after the user's deletion: only what came after it."""
    events = list(tracker.events)
    marks = [i for i, e in enumerate(events) if isinstance(e, ActionExecuted) and e.action_name == DELETE_ACTION]
    if not marks:
        return tracker
    kept = [SlotSet(name, tracker.get_slot(name)) for name in KEPT_AFTER_DELETION if name in tracker.slots]
    return DialogueStateTracker.from_events(tracker.sender_id, kept + events[marks[-1] + 1 :], domain.slots)


class ConsentTrackerStore(SQLTrackerStore):
    """SQL for conversations with consent; memory only (and nothing in the database) for the rest.

    Until the user agrees, and after they decline or withdraw, the conversation lives only in this
    process's memory, so the dialogue still works, and any stored copy is deleted. Memory copies are
    dropped after three hours without a message.
    """

    def __init__(self, domain: Domain | None = None, host: str | None = None, **kwargs: Any) -> None:
        super().__init__(domain=domain, host=host, **kwargs)
        self.memory = InMemoryTrackerStore(domain or Domain.empty())
        self.last_seen: dict[str, float] = {}

    def _memory(self) -> InMemoryTrackerStore:
        # Rasa sets the domain on the store after loading the model; the memory store must follow it.
        self.memory.domain = self.domain
        return self.memory

    @staticmethod
    def consented(tracker: DialogueStateTracker) -> bool:
        """True only when the user explicitly agreed."""
        return tracker.get_slot(CONSENT_SLOT) is True

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store with consent; otherwise keep in memory and make sure nothing is in the database."""
        self._forget_stale()
        sender = tracker.sender_id
        tracker = forget_before_deletion(tracker, self.domain)
        if self.consented(tracker):
            self.memory.store.pop(sender, None)
            self.last_seen.pop(sender, None)
            await self.save_redacted(tracker)
            return
        await self._memory().save(tracker)
        self.last_seen[sender] = time.monotonic()
        self.delete_stored(sender)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        if sender_id in self.memory.store:
            return await self._memory().retrieve(sender_id)
        return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> DialogueStateTracker | None:
        if conversation_id in self.memory.store:
            return await self._memory().retrieve_full_tracker(conversation_id)
        return await super().retrieve_full_tracker(conversation_id)

    async def save_redacted(self, tracker: DialogueStateTracker) -> None:
        """Rasa's SQL save, with personal data removed from every event before it is written."""
        from bot.redaction import redact_event_data

        await self.stream_events(tracker)
        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = redact_event_data(event.as_dict())
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()

    def delete_stored(self, sender_id: str) -> int:
        """Delete every stored event of a conversation; return how many rows went."""
        with self.session_scope() as session:
            deleted = session.query(self.SQLEvent).filter(self.SQLEvent.sender_id == sender_id).delete()
            session.commit()
        return int(deleted)

    def _forget_stale(self) -> None:
        limit = time.monotonic() - MEMORY_SECONDS
        for sender in [s for s, seen in self.last_seen.items() if seen < limit]:
            self.memory.store.pop(sender, None)
            self.last_seen.pop(sender, None)
