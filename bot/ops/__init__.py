"""Operations: setup, training, launching the servers and the scaled profile."""

from __future__ import annotations
