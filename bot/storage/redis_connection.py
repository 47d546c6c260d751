"""A Redis client with Veivalg's settings (host, port, password, TLS) that rides out a Redis restart."""

from __future__ import annotations

from typing import Any

RETRIES = 8  # with the backoff below, about 3 s of retrying: a restarting Redis costs a retry, not an error


def redis_client(db: int) -> Any:
    """A client for database `db`, connected as the lock store connects; connection errors are retried."""
    import redis
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    from bot.settings import get_settings

    settings = get_settings()
    return redis.Redis(
        host=settings.redis_host, port=settings.redis_port, db=db, password=settings.redis_password or None,
        ssl=settings.redis_tls, ssl_ca_certs=settings.redis_ca_file or None,
        socket_timeout=5, socket_connect_timeout=5, retry_on_timeout=True,
        retry=Retry(ExponentialBackoff(cap=1.0, base=0.05), RETRIES),
        retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
    )
