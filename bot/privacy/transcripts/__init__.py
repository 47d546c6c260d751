"""Stored conversations read back: lists and filters (query), whole transcripts (replay), exports (export)."""

from __future__ import annotations

from bot.privacy.transcripts.export import (
    summary_as_json,
    transcript_as_csv,
    transcript_as_json,
    transcript_as_text,
    turn_as_json,
)
from bot.privacy.transcripts.query import (
    LOW_CONFIDENCE,
    ConversationFilters,
    ConversationSummary,
    channels,
    conversation_exists,
    fallback_messages,
    knapp_keys,
    knapp_progress,
    knapp_title,
    list_conversations,
    store_ready,
    unknown_occupations,
)
from bot.privacy.transcripts.replay import Transcript, Turn, load_transcript

__all__ = [
    "LOW_CONFIDENCE",
    "ConversationFilters",
    "ConversationSummary",
    "Transcript",
    "Turn",
    "channels",
    "conversation_exists",
    "fallback_messages",
    "knapp_keys",
    "knapp_progress",
    "knapp_title",
    "list_conversations",
    "load_transcript",
    "store_ready",
    "summary_as_json",
    "transcript_as_csv",
    "transcript_as_json",
    "transcript_as_text",
    "turn_as_json",
    "unknown_occupations",
]
