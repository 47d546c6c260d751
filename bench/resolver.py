"""Resolver accuracy on tests/data/occupation_mentions.yml and resolve time over the whole catalogue."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import stamp, write_section  # noqa: E402
from bot.catalogue.loader import DATA_FOLDER  # noqa: E402
from bot.catalogue.resolver import Resolver  # noqa: E402
from bot.catalogue.schema import read_catalogue  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    catalogue = read_catalogue(DATA_FOLDER)
    names = [(name, slug) for name, _, slug in catalogue.names()]
    started = time.perf_counter()
    resolver = Resolver(names)
    build_ms = (time.perf_counter() - started) * 1000
    data = yaml.safe_load((ROOT / "tests" / "data" / "occupation_mentions.yml").read_text(encoding="utf-8"))

    right = sum(resolver.resolve(m["text"]).slug == m["slug"] for m in data["mentions"])
    fair = 0
    for entry in data["ambiguous"]:
        found = resolver.resolve(entry["text"])
        fair += bool(found.slug in entry["slugs"] if found.slug else set(found.candidates) & set(entry["slugs"]))
    refused = sum(not (r.found or r.ambiguous) for r in map(resolver.resolve, data["unknown"]))

    # Resolve time: every name in the catalogue, misspelt by dropping a letter, and sentences.
    probes = [name[:-2] + name[-1] if len(name) > 4 else name for name, _ in names]
    sentences = [f"hvordan blir jeg {name} når jeg kommer ut" for name, _ in names[:300]]
    timings = []
    for probe in probes:
        t0 = time.perf_counter()
        resolver.resolve(probe)
        timings.append((time.perf_counter() - t0) * 1000)
    scan = []
    for sentence in sentences:
        t0 = time.perf_counter()
        resolver.find_in_text(sentence)
        scan.append((time.perf_counter() - t0) * 1000)

    body = "\n".join(
        [
            "## Occupation resolver",
            "",
            stamp(),
            "",
            "| what | value |",
            "|---|---|",
            f"| catalogue | {len(catalogue.occupations)} occupations, {len(names)} names |",
            f"| mentions resolved to the right occupation | {right}/{len(data['mentions'])} "
            f"({right / len(data['mentions']):.1%}) |",
            f"| ambiguous mentions given a fair choice | {fair}/{len(data['ambiguous'])} |",
            f"| unknown words refused | {refused}/{len(data['unknown'])} |",
            f"| index build | {build_ms:.0f} ms |",
            f"| resolve one mention, p50 / p95 ({len(timings)} misspelt names) | "
            f"{statistics.median(timings):.2f} / {percentile(timings, 0.95):.2f} ms |",
            f"| find in a sentence, p50 / p95 ({len(scan)} sentences) | "
            f"{statistics.median(scan):.2f} / {percentile(scan, 0.95):.2f} ms |",
        ]
    )
    write_section("resolver", body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
