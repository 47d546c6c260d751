"""Resolver accuracy on the mention lists, honesty on occupations the catalogue lacks, pay coverage, resolve time."""

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
from bot.catalogue.pay import pay_for  # noqa: E402
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
    lists = yaml.safe_load((ROOT / "tests" / "data" / "occupation_lists.yml").read_text(encoding="utf-8"))
    must = lists["must_resolve"]
    must_right = sum(resolver.resolve(m["text"]).slug == m["slug"] for m in must)
    wrong = [m["text"] for m in lists["not_in_catalogue"] if resolver.resolve(m["text"]).slug]
    own_pay = sum(pay_for(entry.styrk08) is not None and pay_for(entry.styrk08).exact  # type: ignore[union-attr]
                  for _, entry in catalogue.occupations.values())
    any_pay = sum(pay_for(entry.styrk08) is not None for _, entry in catalogue.occupations.values())

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
            f"| new mentions resolved (tests/data/occupation_lists.yml) | {must_right}/{len(must)} "
            f"({must_right / len(must):.1%}) |",
            f"| real occupations not in the catalogue answered as another | {len(wrong)}/"
            f"{len(lists['not_in_catalogue'])} |",
            f"| occupations with SSB's figure for their own 4-digit code | {own_pay}/{len(catalogue.occupations)} "
            f"({own_pay / len(catalogue.occupations):.0%}); a group figure for {any_pay - own_pay} more |",
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
