"""Keep bench/results.md as one file with a section per benchmark, each replaced when it is re-run."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results.md"
HEADER = "# Veivalg benchmarks\n\nWritten by `make bench`; each section says when and where it was measured.\n"


def machine() -> str:
    """The machine, in one line: cores, CPU, memory, OS."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return f"{os.cpu_count()} cores ({cpu}), {mem_kib / 1024 / 1024:.0f} GiB RAM, {platform.platform()}"


def stamp() -> str:
    """When, where and at which commit."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return f"Measured {now} on {machine()}, commit {commit.stdout.strip() or 'uncommitted'}."


def write_section(name: str, body: str) -> None:
    """Replace (or add) the section called `name` in bench/results.md."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else HEADER
    block = f"<!-- {name} -->\n{body.strip()}\n<!-- /{name} -->"
    pattern = re.compile(rf"<!-- {re.escape(name)} -->.*?<!-- /{re.escape(name)} -->", re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    RESULTS.write_text(text, encoding="utf-8")
