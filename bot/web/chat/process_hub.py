"""The process-wide hub, chosen by the settings: in this process's memory, or in Redis (VEIVALG_CHAT_STATE)."""

from __future__ import annotations

import logging
import threading

from bot.storage.redis_connection import redis_client
from bot.web.chat.hub import Hub, MessageHub
from bot.web.chat.hub_redis import RedisHub

logger = logging.getLogger(__name__)
_hub: MessageHub | None = None
_hub_lock = threading.Lock()
CHAT_REDIS_DB = 2  # the scaled profile's Redis: 0 the lock store, 1 conversations without consent


def get_hub() -> MessageHub:
    """The process-wide hub, created on first use from the settings: in memory, or in Redis (VEIVALG_CHAT_STATE)."""
    global _hub
    with _hub_lock:
        if _hub is None:
            from bot.settings import get_settings

            settings = get_settings()
            if settings.chat_state == "redis":
                _hub = RedisHub(redis_client(CHAT_REDIS_DB), idle_seconds=settings.idle_seconds,
                                protected=needs_a_person)
            else:
                _hub = Hub(idle_seconds=settings.idle_seconds, protected=needs_a_person)
        return _hub


def needs_a_person(conversation_id: str) -> bool:
    """A counsellor has the conversation live, or it is flagged urgent: the hub must never drop it."""
    from bot.handover.queue import open_handoff_for
    from bot.storage.engine import session_factory

    try:
        with session_factory().begin() as session:
            entry = open_handoff_for(conversation_id, session=session)
            return entry is not None and bool(entry.urgent or entry.status == "taken")
    except Exception:
        logger.exception("Could not check the queue before dropping a conversation")
        return True  # when in doubt, keep it


def reset_hub() -> None:
    """Forget every conversation (the next `get_hub()` builds a new hub from the settings)."""
    global _hub
    with _hub_lock:
        close = getattr(_hub, "close", None)
        if close is not None:
            close()
        _hub = None
