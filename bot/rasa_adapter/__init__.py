"""The only package in bot/ that knows Rasa: channel, tracker store, NLU component, patches."""

from __future__ import annotations
