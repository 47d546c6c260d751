"""The environment Veivalg gives the Rasa processes it starts: quiet logs and expanded endpoints."""

from __future__ import annotations

import os

from bot.settings import Settings

QUIET_ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "PYTHONWARNINGS": "ignore",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "RASA_TELEMETRY_ENABLED": "false",
    "LOG_LEVEL_LIBRARIES": "ERROR",
    "LOG_LEVEL_MATPLOTLIB": "ERROR",
    "LOG_LEVEL_RABBITMQ": "ERROR",
    "LOG_LEVEL_KAFKA": "ERROR",
    "PYTHONUNBUFFERED": "1",
    # Rasa keeps connections to the action server open longer than Sanic's default 5 s; a connection the
    # action server has just closed would fail a turn («Beklager, noe gikk galt»).
    "SANIC_KEEP_ALIVE_TIMEOUT": "75",
}


def child_environment(settings: Settings, log_level: str = "WARNING") -> dict[str, str]:
    """os.environ plus what Rasa, the action server and TensorFlow need to run quietly here."""
    env = dict(os.environ)
    env.update(QUIET_ENVIRONMENT)
    env.update(settings.rasa_environment())
    env.setdefault("LOG_LEVEL", log_level)
    env["SANIC_HOST"] = settings.actions_host
    env["VEIVALG_HOME"] = str(settings.home)
    return env
