"""The web app as a whole: HSTS when it is served over HTTPS, nothing of the kind in development."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.settings import load_settings
from bot.web.app import HSTS, create_app


@pytest.mark.parametrize(("secure", "expected"), [("1", HSTS), ("0", None)])
def test_strict_transport_security_follows_the_secure_cookie_setting(tmp_path, secure, expected):
    settings = load_settings({
        "VEIVALG_HOME": str(tmp_path), "VEIVALG_SECRET_KEY": "s" * 40, "VEIVALG_SECURE_COOKIES": secure,
        "VEIVALG_DATABASE_URL": f"sqlite:///{tmp_path / 'v.db'}",
        "VEIVALG_TRACKER_STORE_URL": f"sqlite:///{tmp_path / 't.db'}",
    })

    response = TestClient(create_app(settings)).get("/healthz")

    assert response.headers.get("strict-transport-security") == expected
