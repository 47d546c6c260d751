"""`rasa run` with the HTTP API token read from Veivalg's settings, so it never shows on the command line."""

from __future__ import annotations

import sys


def main() -> None:
    """`python -m bot.rasa_adapter.server run …`: Rasa's own CLI, with `--auth-token` added in the process."""
    from rasa.__main__ import main as rasa_main

    from bot.settings import get_settings

    # /proc/<pid>/cmdline keeps the arguments the process was started with; changing sys.argv here does not.
    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", get_settings().rasa_api_token]
    rasa_main()


if __name__ == "__main__":
    main()
