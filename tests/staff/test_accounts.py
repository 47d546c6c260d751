from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import utcnow
from bot.staff import accounts
from bot.staff.accounts import AccountError, authenticate, create_user
from bot.storage.engine import session_factory
from bot.storage.schema import create_tables

PASSWORD = "et-langt-passord-123"


@pytest.fixture
def maker(tmp_path):
    url = f"sqlite:///{tmp_path / 'veivalg.db'}"
    create_tables(url)
    return session_factory(url)


def test_a_user_gets_an_argon2_hash_and_can_log_in(maker):
    with maker.begin() as db:
        user = create_user(" Kari.N ", PASSWORD, "counsellor", session=db)
        assert user.username == "kari.n" and user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
    with maker.begin() as db:
        result = authenticate("KARI.N", PASSWORD, session=db)
        assert result.user is not None and not result.locked and result.user.last_login_at is not None


@pytest.mark.parametrize(
    ("username", "password", "role", "message"),
    [
        ("ka", PASSWORD, "counsellor", "Brukernavnet må ha 3–64 tegn"),
        ("kari nordmann", PASSWORD, "counsellor", "Brukernavnet må ha 3–64 tegn"),
        ("kari", PASSWORD, "boss", "Velg en rolle"),
        ("kari", "for-kort", "leader", "Passordet må ha minst 12 tegn."),
    ],
)
def test_bad_users_are_refused_with_a_reason(maker, username, password, role, message):
    with maker.begin() as db, pytest.raises(AccountError, match=message):
        create_user(username, password, role, session=db)


def test_a_username_is_taken_once(maker):
    with maker.begin() as db:
        create_user("kari", PASSWORD, "leader", session=db)
    with maker.begin() as db, pytest.raises(AccountError, match="finnes allerede"):
        create_user("KARI", PASSWORD, "admin", session=db)


def test_wrong_password_unknown_user_and_disabled_user_all_fail_alike(maker):
    with maker.begin() as db:
        kari = create_user("kari", PASSWORD, "counsellor", session=db)
        create_user("ola", PASSWORD, "counsellor", session=db)
        accounts.set_active(kari.id, False, session=db)
    with maker.begin() as db:
        assert authenticate("ola", "feil-passord-12345", session=db) == accounts.LoginResult(user=None)
        assert authenticate("ingen", PASSWORD, session=db) == accounts.LoginResult(user=None)
        assert authenticate("kari", PASSWORD, session=db) == accounts.LoginResult(user=None)


def test_five_failures_lock_for_fifteen_minutes_then_it_opens_again(maker):
    with maker.begin() as db:
        create_user("kari", PASSWORD, "counsellor", session=db)
    start = utcnow()
    for attempt in range(4):
        with maker.begin() as db:  # ten seconds apart: longer than any pause
            assert not authenticate("kari", f"feil-{attempt}-passord", session=db,
                                    now=start + timedelta(seconds=10 * attempt)).locked
    start += timedelta(seconds=40)
    with maker.begin() as db:
        assert authenticate("kari", "feil-5-passord-x", session=db, now=start).locked
    with maker.begin() as db:
        assert authenticate("kari", PASSWORD, session=db, now=start + timedelta(minutes=14)).locked
    with maker.begin() as db:
        assert authenticate("kari", PASSWORD, session=db, now=start + timedelta(minutes=15, seconds=1)).user
    with maker.begin() as db:  # a success starts the count again
        for attempt in range(4):
            later = start + timedelta(minutes=16, seconds=10 * attempt)
            assert not authenticate("kari", f"feil-{attempt}-passord", session=db, now=later).locked


def test_a_success_resets_the_failure_count(maker):
    with maker.begin() as db:
        create_user("kari", PASSWORD, "counsellor", session=db)
    start = utcnow()
    with maker.begin() as db:
        for attempt in range(4):
            authenticate("kari", f"feil-{attempt}-passord", session=db, now=start + timedelta(seconds=10 * attempt))
        assert authenticate("kari", PASSWORD, session=db, now=start + timedelta(seconds=40)).user is not None
        for attempt in range(4):
            later = start + timedelta(seconds=50 + 10 * attempt)
            assert not authenticate("kari", f"feil-{attempt}-passord", session=db, now=later).locked


def test_each_failure_makes_the_next_attempt_wait_longer(maker):
    with maker.begin() as db:
        create_user("kari", PASSWORD, "counsellor", session=db)
        create_user("ola", PASSWORD, "counsellor", session=db)
    start = utcnow()

    def fail(name: str, failures: int) -> None:
        for n in range(failures):
            with maker.begin() as db:
                authenticate(name, f"feil-{n}-passord", session=db, now=start + timedelta(seconds=10 * n))

    fail("kari", 2)
    fail("ola", 3)
    with maker.begin() as db:  # 0.5 s after the second failure: not checked, even with the right password
        assert authenticate("kari", PASSWORD, session=db, now=start + timedelta(seconds=10.5)).wait
    with maker.begin() as db:  # 1.5 s after the second failure: the one-second pause is over
        assert authenticate("kari", PASSWORD, session=db, now=start + timedelta(seconds=11.5)).user is not None
    with maker.begin() as db:  # 1.5 s after the third failure: its pause is longer
        assert authenticate("ola", PASSWORD, session=db, now=start + timedelta(seconds=21.5)).wait
    assert accounts.WAIT_SECONDS[2] < accounts.WAIT_SECONDS[3] < accounts.WAIT_SECONDS[4]


def test_users_are_listed_and_found(maker):
    with maker.begin() as db:
        create_user("ola", PASSWORD, "leader", session=db)
        create_user("ada", PASSWORD, "admin", session=db)
        assert [u.username for u in accounts.list_users(session=db)] == ["ada", "ola"]
        assert accounts.find_user(" OLA ", session=db).role == "leader"  # type: ignore[union-attr]
        assert accounts.set_active(999, False, session=db) is None


def test_thirty_parallel_wrong_passwords_cannot_outrun_the_lock(maker, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    with maker.begin() as db:
        create_user("kari", PASSWORD, "counsellor", session=db)
    checks: list[int] = []
    real_verify = accounts._verify

    def counted(user, password):
        checks.append(1)
        return real_verify(user, password)

    monkeypatch.setattr(accounts, "_verify", counted)

    def attempt(n: int) -> accounts.LoginResult:
        with maker.begin() as db:
            return authenticate("kari", f"feil-{n}-passord-xyz", session=db)

    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(attempt, range(30)))

    assert len(checks) <= accounts.MAX_FAILURES, "every password check past the fifth was refused before hashing"
    assert sum(r.locked for r in results) >= 30 - accounts.MAX_FAILURES
    with maker.begin() as db:
        assert authenticate("kari", PASSWORD, session=db).locked


def test_one_address_trying_many_usernames_is_locked_too(maker):
    for n in range(accounts.MAX_ADDRESS_FAILURES - 1):
        with maker.begin() as db:
            assert not authenticate(f"bruker{n}", "feil-passord-xyz", session=db, client="10.0.0.9").locked
    with maker.begin() as db:
        assert authenticate("enda-en", "feil-passord-xyz", session=db, client="10.0.0.9").locked
    with maker.begin() as db:
        assert not authenticate("enda-en", "feil-passord-xyz", session=db, client="10.0.0.10").locked
