"""Redaction on personal data nobody on the project wrote: Faker's Norwegian names, numbers and addresses.

`python bench/redaction.py` generates messages in many sentence shapes (lower case, as written, upper
case), redacts them, and counts per kind how many let something through: a name part, phone digits, a
fødselsnummer, an e-mail address, a street name. It also counts how many ordinary messages (the NLU
training and test data, the conversation benchmark) redaction changes. Results go to bench/results.md
and docs/privacy.md; tests/privacy/test_generated.py holds the line in `make test`.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import stamp, write_section  # noqa: E402

KINDS = ("name", "phone", "fodselsnummer", "email", "address")
DOCUMENT = ROOT / "docs" / "privacy.md"
START, END = "<!-- redaction-report:start -->", "<!-- redaction-report:end -->"

# Sentence shapes: {first} {last} {name} {phone} {fnr} {email} {street} {number} {postcode} {place}.
SHAPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("jeg heter {first} {last}", ("name",)),
    ("Hei! Jeg heter {first}.", ("name",)),
    ("navnet mitt er {first} {last}", ("name",)),
    ("{first} {last} heter jeg, og jeg sitter på avdeling B", ("name",)),
    ("det er {first} som skriver", ("name",)),
    ("mvh {first} {last}", ("name",)),
    ("hilsen {first}", ("name",)),
    ("Moren min heter {first} og bor i Bergen", ("name",)),
    ("kontaktpersonen min på NAV er {first} {last}", ("name",)),
    ("læreren {last} sa at jeg burde søke fagbrev", ("name",)),
    ("veilederen min heter {first} {last}, kan du sende planen til henne?", ("name",)),
    ("ring meg på {phone}", ("phone",)),
    ("tlf {phone}", ("phone",)),
    ("nummeret mitt er {phone}, ring etter klokka fire", ("phone",)),
    ("mobilen til mamma: {phone}", ("phone",)),
    ("fødselsnummeret mitt er {fnr}", ("fodselsnummer",)),
    ("personnummer {fnr}", ("fodselsnummer",)),
    ("trenger de fnr? det er {fnr}", ("fodselsnummer",)),
    ("send det på mail til {email}", ("email",)),
    ("e-posten min er {email}", ("email",)),
    ("jeg bor i {street} {number}, {postcode} {place}", ("address",)),
    ("adressen er {street} {number}", ("address",)),
    ("flytter til {street} {number} i {place} når jeg slipper ut", ("address",)),
    ("Jeg heter {first} {last}, bor i {street} {number} og nummeret er {phone}", ("name", "address", "phone")),
    ("{first} her. Tlf {phone}, mail {email}", ("name", "phone", "email")),
    ("hei, dette er {first} {last} ({fnr}), jeg lurer på politiattest", ("name", "fodselsnummer")),
)


@dataclass(frozen=True)
class Generated:
    """One message and the personal data in it, by kind."""

    text: str
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)


def generated_messages(count: int = 2000, seed: int = 2026) -> list[Generated]:
    """`count` messages from Faker's Norwegian locale, each shape in three cases, the same for the same seed."""
    from faker import Faker

    fake = Faker("no_NO")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    messages = []
    for n in range(count):
        shape, kinds = SHAPES[n % len(SHAPES)]
        street, number = _street(fake.street_address())
        values = {
            "first": fake.first_name(), "last": fake.last_name(), "phone": fake.phone_number(), "fnr": fake.ssn(),
            "email": fake.email(), "street": street, "number": number, "postcode": fake.postcode(),
            "place": fake.city(),
        }
        text = shape.format(**values)
        case = rng.choice((str, str.lower, str.upper)) if n % 3 else str
        secrets = {
            "name": tuple(part for key in ("first", "last") if "{" + key + "}" in shape
                          for part in re.split(r"[ -]", values[key]) if len(part) > 1),
            "phone": (re.sub(r"\D", "", values["phone"]).removeprefix("47")[-8:],) if "phone" in kinds else (),
            "fodselsnummer": (values["fnr"],) if "fodselsnummer" in kinds else (),
            "email": (values["email"].split("@")[0],) if "email" in kinds else (),
            "address": tuple(w for w in street.split() if len(w) > 2) if "address" in kinds else (),
        }
        messages.append(Generated(case(text), {k: v for k, v in secrets.items() if v}))
    return messages


def _street(address: str) -> tuple[str, str]:
    """«Evensenvollen 406» -> («Evensenvollen», «406»); Faker sometimes adds a letter or a second word."""
    match = re.match(r"(.*?)\s+(\d+\s?[A-Za-z]?)$", address.strip())
    return (match.group(1), match.group(2)) if match else (address, "1")


def leaked(message: Generated, redacted: str) -> dict[str, list[str]]:
    """What of each kind survived redaction (case and spacing do not matter)."""
    low = redacted.lower()
    digits = re.sub(r"\D", "", redacted)
    found: dict[str, list[str]] = {}
    for kind, values in message.secrets.items():
        if kind in ("phone", "fodselsnummer"):
            hits = [v for v in values if v in digits]
        elif kind == "email":
            hits = [v for v in values if v.lower() in low]
        else:
            hits = [v for v in values if re.search(rf"(?<!\w){re.escape(v.lower())}(?!\w)", low)]
        if hits:
            found[kind] = hits
    return found


def ordinary_messages() -> list[str]:
    """What users write without personal data: the NLU examples (training and held out) and the conversations."""
    import yaml

    from bot.safety.classifier import nlu_examples

    texts = [text for _, text in nlu_examples(ROOT / "data" / "nlu") if not text.startswith("/")]
    texts += [text for _, text in nlu_examples(ROOT / "tests" / "nlu") if not text.startswith("/")]
    for path in sorted((ROOT / "tests" / "conversations").glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            texts += [str(t) for t in conversation["turns"] if not str(t).isdigit()]
    return sorted(set(texts))


@dataclass
class Measured:
    """Per kind: messages with that kind, and those that leaked it; ordinary messages changed."""

    with_kind: Counter[str] = field(default_factory=Counter)
    leaking: Counter[str] = field(default_factory=Counter)
    examples: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    ordinary: int = 0
    changed: list[tuple[str, str]] = field(default_factory=list)
    generated: int = 0

    @property
    def leaks(self) -> int:
        return len(self.examples)


def measure(count: int = 2000, redact: Callable[[str], str] | None = None) -> Measured:
    """Redact the generated and the ordinary messages and count what got through and what was changed."""
    from bot.privacy.redaction import redact_text

    redact = redact or redact_text
    result = Measured(generated=count)
    for message in generated_messages(count):
        out = redact(message.text)
        hits = leaked(message, out)
        for kind in message.secrets:
            result.with_kind[kind] += 1
            result.leaking[kind] += kind in hits
        if hits:
            result.examples.append((message.text, out, hits))
    ordinary = ordinary_messages()
    result.ordinary = len(ordinary)
    result.changed = [(t, out) for t in ordinary if (out := redact(t)) != t]
    return result


def as_markdown(m: Measured) -> str:
    rows = [f"| {kind} | {m.with_kind[kind] - m.leaking[kind]}/{m.with_kind[kind]} "
            f"({(m.with_kind[kind] - m.leaking[kind]) / max(m.with_kind[kind], 1):.1%}) |" for kind in KINDS]
    total = sum(m.with_kind.values())
    return "\n".join([
        stamp(), "",
        "| kind | caught in generated messages |", "|---|---|", *rows, "",
        f"Generated messages with anything left after redaction: **{m.leaks} of {m.generated}** "
        f"({total} pieces of personal data in all).",
        f"Ordinary messages changed by redaction (over-redaction): **{len(m.changed)} of {m.ordinary} "
        f"({len(m.changed) / max(m.ordinary, 1):.1%})**, goal at most 2 %.",
    ])


def write_into(document: Path, block: str) -> None:
    text = document.read_text(encoding="utf-8")
    section = f"{START}\n{block}\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: section, text, flags=re.DOTALL)
    else:
        text = text.rstrip() + "\n\n## Redaction measured\n\n" + section + "\n"
    document.write_text(text, encoding="utf-8")


def main() -> int:
    verbose = "--verbose" in sys.argv
    measured = measure()
    block = as_markdown(measured)
    write_section("redaction", "## Redaction on generated personal data\n\n" + block)
    write_into(DOCUMENT, block)
    print(block)
    for text, out, hits in measured.examples[: None if verbose else 15]:
        print(f"  LEAK {hits}: {text!r} -> {out!r}")
    for text, out in measured.changed[: None if verbose else 15]:
        print(f"  CHANGED: {text!r} -> {out!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
