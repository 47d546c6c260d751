"""`veivalg chat`: the kiosk terminal client of the chat gateway, full-screen or line by line (`--plain`).

It talks only to the web process (`/chat/api/…`), so a counsellor's messages during a handover arrive
too. Nothing is written to disk: no history file, no log of messages. After the idle time the screen
is cleared, the conversation is ended on the server and the next user starts afresh."""

from __future__ import annotations

import logging
import sys

from bot.clients.terminal.conversation import Conversation
from bot.clients.terminal.fullscreen import FullScreenChat
from bot.clients.terminal.gateway_client import GatewayClient, GatewayUnavailable
from bot.clients.terminal.plain import PlainChat
from bot.clients.terminal.texts import NO_GATEWAY


def quiet_http_logging() -> None:
    """httpx logs every request at INFO; on a kiosk screen that would be noise."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


def main(server: str, plain: bool = False, idle_seconds: int | None = None) -> int:
    """Entry point for `veivalg chat`: exit code 0 when the user quits, 1 when the gateway is not running."""
    quiet_http_logging()
    client = GatewayClient(server)
    try:
        token, server_idle = client.start()
    except GatewayUnavailable:
        print(NO_GATEWAY.format(url=client.server), file=sys.stderr)
        client.close()
        return 1
    conversation = Conversation(client, token, idle_seconds or server_idle)
    try:
        if plain or not (sys.stdin.isatty() and sys.stdout.isatty()):
            return PlainChat(conversation, sys.stdin, sys.stdout).run()
        return FullScreenChat(conversation).run()
    except KeyboardInterrupt:
        print()
        return 0
    finally:
        if conversation.token:
            client.end(conversation.token)
        client.close()
