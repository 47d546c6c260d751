from __future__ import annotations

import time

from starlette.requests import Request

from bot.web.review import security


def _request(session: dict) -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [], "session": session})


def test_csrf_token_is_made_once_and_checked_in_constant_time():
    request = _request({})
    token = security.csrf_token(request)
    assert len(token) >= 32 and security.csrf_token(request) == token
    assert security.csrf_valid(request, token)
    assert not security.csrf_valid(request, token[:-1] + ("a" if token[-1] != "a" else "b"))
    assert not security.csrf_valid(request, "") and not security.csrf_valid(_request({}), token)


def test_a_new_session_after_login_forgets_what_was_there():
    request = _request({"csrf": "x" * 40, "flash": ["gammel"], "other": 1})
    security.start_session(request, 7, "vera", "counsellor", "t" * 43)
    assert set(request.session) == {"uid", "user", "role", "login_at", "csrf", "sid"}
    assert request.session["csrf"] != "x" * 40
    assert security.identity(request) == security.Identity(7, "vera", "counsellor", "t" * 43)
    assert security.identity(request, now=time.time() + security.MAX_AGE_SECONDS + 1) is None
    security.end_session(request)
    assert security.identity(request) is None


def test_flash_messages_are_shown_once():
    request = _request({})
    security.flash(request, "Lagret.")
    assert security.take_flashes(request) == ["Lagret."] and security.take_flashes(request) == []


def test_only_paths_inside_the_app_are_redirect_targets():
    assert security.safe_next("/review/samtaler?side=2", "/review") == "/review/samtaler?side=2"
    for target in ("https://evil.example/", "//evil.example/review/x", "/chat", "/review", "/review\\@evil", None):
        assert security.safe_next(target, "/review") is None
