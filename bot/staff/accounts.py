"""Users of the review app: roles, argon2 password hashes and lock-out after repeated failed logins."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.clock import aware, utcnow
from bot.storage.tables.accounts import LoginThrottle, User

ROLES = ("counsellor", "leader", "admin")
ROLE_NAMES = {"counsellor": "Karriereveileder", "leader": "Leder", "admin": "Administrator"}
MAX_FAILURES = 5
LOCK_MINUTES = 15
# Seconds to wait after the n-th failure in a row, before the lock at MAX_FAILURES: slow for a script,
# unnoticed by a person who mistyped.
WAIT_SECONDS = {2: 1, 3: 2, 4: 4}
MIN_PASSWORD = 12
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}[a-z0-9]$")


WAIT_TEXT = "Vent noen sekunder, og prøv igjen."
LOCKED_TEXT = f"For mange forsøk. Vent {LOCK_MINUTES} minutter og prøv igjen."


class AccountError(ValueError):
    """A user cannot be created or changed; the message is Norwegian and safe to show."""


@dataclass(frozen=True)
class LoginResult:
    """The user when the login succeeded; `locked` when too many failures stopped it."""

    user: User | None
    locked: bool = False
    wait: bool = False  # too soon after the last failure: try again in a few seconds


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    """argon2id with the library's recommended parameters."""
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the user does not exist, so both cases take the same time."""
    return hasher().hash("veivalg-no-such-user")


def normalize_username(username: str) -> str:
    """Usernames are compared without case and surrounding spaces."""
    return username.strip().lower()[:64]


def create_user(username: str, password: str, role: str, *, session: Session) -> User:
    """Add a user; raise AccountError with a Norwegian message when something is wrong."""
    name = normalize_username(username)
    if not _USERNAME.match(name):
        raise AccountError(
            "Brukernavnet må ha 3–64 tegn: små bokstaver a–z, tall, punktum, bindestrek eller understrek."
        )
    if role not in ROLES:
        raise AccountError("Velg en rolle: karriereveileder, leder eller administrator.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Passordet må ha minst {MIN_PASSWORD} tegn.")
    if find_user(name, session=session) is not None:
        raise AccountError("Det finnes allerede en bruker med dette brukernavnet.")
    user = User(username=name, password_hash=hasher().hash(password), role=role, active=True, created_at=utcnow())
    session.add(user)
    session.flush()
    return user


def find_user(username: str, *, session: Session) -> User | None:
    """The user with this username, active or not."""
    found: User | None = session.execute(
        select(User).where(User.username == normalize_username(username))
    ).scalar_one_or_none()
    return found


def get_user(user_id: int, *, session: Session) -> User | None:
    """The user with this id."""
    found: User | None = session.get(User, user_id)
    return found


def list_users(*, session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.execute(select(User).order_by(User.username)).scalars())


def set_active(user_id: int, active: bool, *, session: Session) -> User | None:
    """Turn a user's access on or off; turning it off ends every session of theirs at once."""
    from bot.staff.sessions import close_all_for

    user = get_user(user_id, session=session)
    if user is not None:
        user.active = active
        if not active:
            close_all_for(user_id, session=session)
    return user


# Failed logins from one client address (across usernames) before it is locked out too.
MAX_ADDRESS_FAILURES = 20
# Password checks running at once in this process; each argon2 check holds about 64 MiB.
HASH_SLOTS = threading.BoundedSemaphore(2)
HASH_WAIT_SECONDS = 10.0


def _count_attempt(key: str, limit: int, now: datetime, session: Session) -> tuple[bool, bool]:
    """Count one attempt for `key` before the password is checked: (locked now, this attempt reaches the limit).

    One UPDATE adds the attempt, so parallel requests cannot all read the same count and outrun the lock:
    the database holds the row (or the file, in SQLite) until the request's transaction ends.
    """
    insert = sqlite_insert if session.get_bind(LoginThrottle).dialect.name == "sqlite" else postgresql_insert
    session.execute(insert(LoginThrottle).values(username=key, failures=0).on_conflict_do_nothing())
    session.execute(update(LoginThrottle).where(LoginThrottle.username == key,
                                                LoginThrottle.locked_until <= now)
                    .values(failures=0, locked_until=None))
    session.execute(update(LoginThrottle).where(LoginThrottle.username == key)
                    .values(failures=LoginThrottle.failures + 1))
    row = session.execute(select(LoginThrottle.failures, LoginThrottle.locked_until)
                          .where(LoginThrottle.username == key)).one()
    locked_until = aware(row.locked_until)
    if locked_until is not None and locked_until > now:
        return True, False
    if row.failures > limit:
        _lock(key, now, session)
        return True, False
    return False, row.failures >= limit


def _lock(key: str, now: datetime, session: Session) -> None:
    session.execute(update(LoginThrottle).where(LoginThrottle.username == key)
                    .values(failures=0, locked_until=now + timedelta(minutes=LOCK_MINUTES)))


def _must_wait(key: str, now: datetime, session: Session) -> bool:
    """True while the pause after the last failure lasts; the attempt was counted all the same."""
    wait_until = aware(session.execute(select(LoginThrottle.wait_until).where(LoginThrottle.username == key))
                       .scalar_one_or_none())
    return wait_until is not None and wait_until > now


def _pause(key: str, now: datetime, session: Session) -> None:
    """After a failure, make the next attempt wait a little longer than the last."""
    failures = session.execute(select(LoginThrottle.failures).where(LoginThrottle.username == key)).scalar_one()
    seconds = WAIT_SECONDS.get(int(failures), 0)
    session.execute(update(LoginThrottle).where(LoginThrottle.username == key)
                    .values(wait_until=now + timedelta(seconds=seconds) if seconds else None))


def _verify(user: User | None, password: str) -> bool:
    """The argon2 check (against a dummy hash for unknown users), at most HASH_SLOTS at once."""
    if not HASH_SLOTS.acquire(timeout=HASH_WAIT_SECONDS):
        return False
    try:
        hasher().verify(user.password_hash if user is not None else _dummy_hash(), password)
        return user is not None and bool(user.active)
    except (VerificationError, InvalidHashError):
        return False
    finally:
        HASH_SLOTS.release()


def authenticate(
    username: str, password: str, *, session: Session, now: datetime | None = None, client: str | None = None
) -> LoginResult:
    """Check a login. Unknown users, wrong passwords and disabled users look the same to the caller.

    Five failures in a row for a username lock it for 15 minutes, whether the user exists or not; twenty
    from one client address lock the address. Attempts are counted before the password is checked.
    """
    now = now or utcnow()
    name = normalize_username(username)
    locked, last_try = _count_attempt(name, MAX_FAILURES, now, session)
    address_locked, address_last = (False, False)
    if client and not locked:
        address_locked, address_last = _count_attempt(f"@{client}", MAX_ADDRESS_FAILURES, now, session)
    if locked or address_locked:
        return LoginResult(user=None, locked=True)
    if _must_wait(name, now, session):
        return LoginResult(user=None, wait=True)
    user = find_user(name, session=session)
    if not _verify(user, password) or user is None:
        if last_try:
            _lock(name, now, session)
        else:
            _pause(name, now, session)
        if address_last:
            _lock(f"@{client}", now, session)
        return LoginResult(user=None, locked=last_try or address_last)
    session.execute(update(LoginThrottle).where(LoginThrottle.username == name).values(failures=0, wait_until=None))
    if client:
        session.execute(update(LoginThrottle).where(LoginThrottle.username == f"@{client}")
                        .values(failures=LoginThrottle.failures - 1))
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
    user.last_login_at = now
    return LoginResult(user=user)


def change_password(
    user: User, current: str, new: str, again: str, *, session: Session, client: str | None = None
) -> None:
    """Set a new password after checking the current one (counted like a login); raise AccountError otherwise.

    The caller ends the user's other sessions: whoever knew the old password is logged out everywhere.
    """
    checked = authenticate(str(user.username), current, session=session, client=client)
    if checked.user is None or checked.user.id != user.id:
        if checked.locked:
            raise AccountError(LOCKED_TEXT)
        if checked.wait:
            raise AccountError(WAIT_TEXT)
        raise AccountError("Det nåværende passordet stemmer ikke.")
    if new != again:
        raise AccountError("De to nye passordene er ikke like.")
    if len(new) < MIN_PASSWORD:
        raise AccountError(f"Det nye passordet må ha minst {MIN_PASSWORD} tegn.")
    if new == current:
        raise AccountError("Det nye passordet må være et annet enn det gamle.")
    if normalize_username(new) == user.username:
        raise AccountError("Passordet kan ikke være det samme som brukernavnet.")
    user.password_hash = hasher().hash(new)
