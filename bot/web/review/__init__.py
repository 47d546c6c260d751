"""The review app under /review for counsellors, leaders and admins."""

from __future__ import annotations
