"""Guidance: the karriereknapper, «min plan» and the rating of the conversation."""

from __future__ import annotations
