"""Small text helpers every layer may use: spelling folds, numbered buttons, clean input."""

from __future__ import annotations
