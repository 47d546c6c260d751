"""How simulated users reach Veivalg: the REST webhook's path and the headers that go with a message."""

from __future__ import annotations

WEBHOOK = "/webhooks/rest/webhook"
SENDER_HEADER = "X-Veivalg-Sender"  # the gateway hashes this to pick the Rasa server (bot/ops/scaled/)
UPSTREAM_HEADER = "X-Veivalg-Upstream"  # the gateway's answer: which Rasa server took the message
# The Locust users read their request headers (a JSON object) from here, so the channel secret stays off
# the command line; without it they send this machine's channel secret.
HEADERS_ENV = "VEIVALG_LOAD_HEADERS"


def channel_headers() -> dict[str, str]:
    """The REST channel answers only with this machine's secret (bot/rasa_adapter/channel.py); bare Rasa ignores it."""
    from bot.settings import CHANNEL_SECRET_HEADER, get_settings

    return {CHANNEL_SECRET_HEADER: get_settings().channel_secret}
