"""Rasa's Redis lock store, connected with Veivalg's settings: password and TLS included."""

from __future__ import annotations

from typing import Any

from rasa.core.lock_store import RedisLockStore

from bot.settings import get_settings


class VeivalgRedisLockStore(RedisLockStore):
    """One lock per conversation in Redis; host, port, password and TLS come from VEIVALG_REDIS_*.

    endpoints.yml can only pass strings, so a TLS flag or an empty password would arrive wrong through
    `${...}`; the typed settings say it once (bot/settings.py).
    """

    def __init__(self, endpoint_config: Any = None) -> None:
        settings = get_settings()
        options = dict(getattr(endpoint_config, "kwargs", None) or {})
        super().__init__(
            host=settings.redis_host,
            port=settings.redis_port,
            db=int(options.get("db", 0)),
            password=settings.redis_password or None,
            use_ssl=settings.redis_tls,
            ssl_ca_certs=settings.redis_ca_file or None,
            key_prefix=str(options.get("key_prefix", "veivalg")),
        )
