"""How long `veivalg run` takes on a set-up machine until the first message is answered.

Starts Veivalg on free ports with fresh databases (as bench/conversations.py does), sends «hei» as
soon as it says it is ready, and writes the seconds to bench/results.md. Issue 21's goal: within 30 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.conversations import running_veivalg  # noqa: E402
from bench.report import stamp, write_section  # noqa: E402


def main() -> int:
    from bot.settings import CHANNEL_SECRET_HEADER

    began = time.monotonic()
    with running_veivalg() as stack:
        ready = time.monotonic() - began
        answer = requests.post(stack.url, json={"sender": "startup", "message": "hei"},
                               headers={CHANNEL_SECRET_HEADER: stack.secret}, timeout=120)
        answered = time.monotonic() - began
        assert answer.ok and answer.json(), answer.text
    body = "\n".join([
        "## Start-up of `veivalg run`", "", stamp(), "",
        f"From the command to «Veivalg svarer på»: **{ready:.1f} s**; to the first answer to «hei»: "
        f"**{answered:.1f} s** (the catalogue loaded first, fresh databases; goal: within 30 s).",
    ])
    write_section("startup", body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
