"""The Debian programs the profile runs, and the user they run as when Veivalg runs as root."""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

from bot.ops.scaled.profile import MISSING_PACKAGES, SUPERUSER


def find_program(name: str, extra: list[Path] | None = None) -> Path:
    """A program from the PATH, /usr/sbin or the given places; a clear error when it is missing."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
    if found:
        return Path(found)
    for candidate in extra or []:
        if candidate.is_file():
            return candidate
    raise RuntimeError(f"Fant ikke {name}. {MISSING_PACKAGES}")


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server installed from Debian's packages (or on the PATH)."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parts[-3]))
    if installed:
        return installed[-1].parent
    return find_program("postgres").parent


def service_user() -> str | None:
    """PostgreSQL will not run as root: as root, use the `postgres` user Debian's package made."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SUPERUSER)
    except KeyError as exc:
        raise RuntimeError(f"Fant ikke systembrukeren {SUPERUSER}. {MISSING_PACKAGES}") from exc
    return SUPERUSER


def nginx_worker_user() -> str | None:
    """As root, nginx's worker process runs as an unprivileged user."""
    if os.geteuid() != 0:
        return None
    for name in ("www-data", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    return None


def own(path: Path, user: str | None) -> None:
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)
