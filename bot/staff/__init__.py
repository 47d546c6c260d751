"""Staff: review accounts, notes and tags, the audit log and the quality figures."""

from __future__ import annotations
