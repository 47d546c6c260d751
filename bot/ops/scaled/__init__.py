"""The scaled profile: PostgreSQL, Redis, several Rasa servers with their action servers, nginx in front."""

from __future__ import annotations

from bot.ops.scaled.configuration import render, write_configuration
from bot.ops.scaled.postgres import prepare_databases
from bot.ops.scaled.profile import ScaledSettings, load_scaled_settings
from bot.ops.scaled.programs import find_program, postgres_bin_dir
from bot.ops.scaled.run import check_ready_to_start, run
from bot.ops.scaled.services import build_services, copy_model, port_in_use, redis_ready

__all__ = [
    "ScaledSettings",
    "build_services",
    "check_ready_to_start",
    "copy_model",
    "find_program",
    "load_scaled_settings",
    "port_in_use",
    "postgres_bin_dir",
    "prepare_databases",
    "redis_ready",
    "render",
    "run",
    "write_configuration",
]
