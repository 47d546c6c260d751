"""`python -m bot.ops.cli`: the same as the `veivalg` command."""

from __future__ import annotations

import sys

from bot.ops.cli import main

sys.exit(main())
