"""The chat gateway under /chat: demo page, widget files and the API for clients."""

from __future__ import annotations
