"""Veivalg's own files readable by its own user only: the databases, logs, secrets and pid files in var/."""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def make_private(var_dir: Path) -> None:
    """New files 0600 and folders 0700 from now on (inherited by the servers), and var/ made private now.

    Creates nothing: a client that writes no files (the kiosk terminal) stays that way.
    """
    os.umask(PRIVATE_UMASK)
    if not var_dir.is_dir():
        return
    for path in [var_dir, *var_dir.rglob("*")]:
        try:
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                path.chmod(0o700)
            elif stat.S_ISREG(mode):
                path.chmod(0o600)
        except OSError:
            continue  # a file that went away, or one that is not ours: leave it


def write_private(path: Path, text: str) -> None:
    """Write a file that may hold a secret: 0600 from its first byte, also when it existed before."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
