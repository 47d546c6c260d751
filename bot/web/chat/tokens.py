"""Signed conversation tokens: the server chooses the conversation id, the client only carries it."""

from __future__ import annotations

import re
import secrets

from itsdangerous import BadData, URLSafeTimedSerializer

SALT = "veivalg.widget.conversation"
MAX_AGE_SECONDS = 12 * 60 * 60
CLIENT_PREFIXES = {"widget": "w-", "terminal": "t-"}
_CONVERSATION_ID = re.compile(r"^[wt]-[A-Za-z0-9_-]{24}$")


class InvalidToken(ValueError):
    """The token is forged, tampered with, expired or not a conversation token."""


def new_conversation_id(client: str = "widget") -> str:
    """A fresh random conversation id: `w-…` for the widget, `t-…` for the terminal client."""
    if client not in CLIENT_PREFIXES:
        raise ValueError(f"client must be one of {sorted(CLIENT_PREFIXES)}")
    return CLIENT_PREFIXES[client] + secrets.token_urlsafe(18)


def client_of(conversation_id: str) -> str:
    """"widget" or "terminal", from the id's prefix."""
    return "terminal" if conversation_id.startswith(CLIENT_PREFIXES["terminal"]) else "widget"


class TokenSigner:
    """Signs conversation ids with the secret key and reads them back."""

    def __init__(self, secret_key: str, max_age: int = MAX_AGE_SECONDS) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.max_age = max_age

    def sign(self, conversation_id: str) -> str:
        """The token the client keeps for this conversation."""
        return str(self._serializer.dumps(conversation_id))

    def conversation_id(self, token: object) -> str:
        """The conversation id inside a valid token; raise InvalidToken otherwise."""
        return self.conversation_and_time(token)[0]

    def conversation_and_time(self, token: object) -> tuple[str, float]:
        """The conversation id inside a valid token and when the token was signed (Unix time); else InvalidToken."""
        if not isinstance(token, str) or not token or len(token) > 512:
            raise InvalidToken("no token")
        try:
            value, signed = self._serializer.loads(token, max_age=self.max_age, return_timestamp=True)
        except BadData as exc:
            raise InvalidToken(type(exc).__name__) from exc
        if not isinstance(value, str) or not _CONVERSATION_ID.match(value):
            raise InvalidToken("not a conversation id")
        return value, signed.timestamp()
