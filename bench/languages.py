"""Language detection on short chat messages: served in the right language, and Norwegian never moved away.

Writes the table into docs/languages.md and bench/results.md (`make bench`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import stamp, write_section
from bot.languages.report import measure, report

DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "languages.md"
START, END = "<!-- language-report:start -->", "<!-- language-report:end -->"


def main() -> int:
    block = f"{stamp()}\n\n{report(measure())}"
    write_section("languages", "## Language detection\n\n" + block)
    text = DOCUMENT.read_text(encoding="utf-8")
    section = f"{START}\n{block}\n{END}"
    DOCUMENT.write_text(re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.DOTALL),
                        encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
