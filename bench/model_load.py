"""Veivalg's changes inside the Rasa server give Rasa's predictions to the last digit, in less time.

Loads `models/veivalg.tar.gz` twice, each in a fresh process: as Rasa ships (`RasaModel.load` trains on
one example first) and with all of Veivalg's changes (`bot/rasa_adapter/speedups.py`: loading for
prediction only, payloads unpacked without the pipeline, TED's predictions remembered by their states).
Both parse the NLU test messages and every intent as a button payload, and play short conversations:
after each message the next actions are predicted until the bot would listen. Every intent ranking,
entity and action probability must be the same. Writes the load times to bench/results.md; exits 1 on
any difference.

    python bench/model_load.py
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.report import stamp, write_section  # noqa: E402

MODEL = ROOT / "models" / "veivalg.tar.gz"
MESSAGES = 300
PREDICTIONS = 60  # messages played as conversations, five to a conversation
PER_CONVERSATION = 5
STEPS = 3  # next actions predicted after a message at most (until action_listen)
ODD_PAYLOADS = ('/no_such_intent', '/affirm{"not json', '/ hei', '/affirm@0.4', '/inform{"occupation": "kokk"}',
                '/ask_occupation_info{"occupation": "kokk"}', '/set_language{"language": "en"}')


def test_messages() -> list[str]:
    """The first MESSAGES examples of the NLU test files (tests/nlu/)."""
    texts: list[str] = []
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            for line in str(item.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.append(line.strip()[2:])
    return texts[:MESSAGES]


def payloads() -> list[str]:
    """Every intent of the domain as a button payload, and some odd ones."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = [next(iter(i)) if isinstance(i, dict) else i for i in domain.get("intents", [])]
    return [f"/{intent}" for intent in intents] + list(ODD_PAYLOADS)


async def _predictions(agent: Any, texts: list[str]) -> dict[str, Any]:
    from rasa.shared.core.events import ActionExecuted, UserUttered

    parsed, actions = [], []
    for text in texts:
        result = await agent.parse_message(text)
        parsed.append({
            "text": text,
            "intent": result["intent"].get("name"),
            "ranking": [(i["name"], round(i["confidence"], 7)) for i in result.get("intent_ranking", [])],
            "entities": [(e["entity"], e["value"], e.get("extractor")) for e in result["entities"]],
            "keys": sorted(result),
        })
    played = texts[:PREDICTIONS] + [t for t in texts if t.startswith("/")][:PREDICTIONS]
    for number, text in enumerate(played):
        tracker = await agent.processor.fetch_tracker_and_update_session(f"model-load-{number // PER_CONVERSATION}")
        result = await agent.parse_message(text)
        tracker.update(UserUttered(text, result["intent"], result["entities"], result))
        for _ in range(STEPS):
            prediction = agent.processor._predict_next_with_tracker(tracker)
            actions.append([round(p, 7) for p in prediction.probabilities])
            name = agent.domain.action_names_or_texts[prediction.max_confidence_index]
            tracker.update(ActionExecuted(name, prediction.policy_name, prediction.max_confidence))
            if name == "action_listen":
                break
        await agent.tracker_store.save(tracker)
    return {"parsed": parsed, "actions": actions}


def load_and_predict(way: str) -> dict[str, Any]:
    """In this process: load the model `way` ('rasa' or 'veivalg'), time it, and predict."""
    import tensorflow  # noqa: F401  (imported before the clock starts, as in both servers)
    from rasa.core.agent import Agent

    if way == "veivalg":
        from bot.rasa_adapter import speedups

        speedups.apply()
    began = time.monotonic()
    agent = Agent.load(str(MODEL))
    seconds = time.monotonic() - began
    results = asyncio.run(_predictions(agent, test_messages() + payloads()))
    if way == "veivalg":
        from bot.rasa_adapter.ted_cache import COUNTS

        results["ted"] = dict(COUNTS)
    return {"seconds": seconds, **results}


def in_fresh_process(way: str) -> dict[str, Any]:
    """Run load_and_predict in a new interpreter, so the two ways never share a loaded TensorFlow."""
    done = subprocess.run([sys.executable, __file__, "--way", way], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def differences(rasa: dict[str, Any], veivalg: dict[str, Any]) -> list[str]:
    """Every message or prediction where the two ways disagree."""
    if len(rasa["parsed"]) != len(veivalg["parsed"]) or len(rasa["actions"]) != len(veivalg["actions"]):
        return ["different numbers of results"]
    pairs = zip(rasa["parsed"], veivalg["parsed"], strict=True)
    found = [f"message {i}: {a} != {b}" for i, (a, b) in enumerate(pairs) if a != b]
    actions = zip(rasa["actions"], veivalg["actions"], strict=True)
    return found + [f"prediction {i} differs" for i, (a, b) in enumerate(actions) if a != b]


def main(argv: list[str]) -> int:
    if argv[:1] == ["--way"]:
        print(json.dumps(load_and_predict(argv[1])))
        return 0
    rasa, veivalg = in_fresh_process("rasa"), in_fresh_process("veivalg")
    wrong = differences(rasa, veivalg)
    body = "\n".join([
        "## Veivalg's changes in the Rasa server against Rasa as shipped", "", stamp(), "",
        "| way | load time | messages parsed | next-action predictions | differences |",
        "|---|---:|---:|---:|---:|",
        f"| as Rasa ships (trains on one example first) | {rasa['seconds']:.1f} s | {len(rasa['parsed'])} | "
        f"{len(rasa['actions'])} | – |",
        f"| Veivalg (`bot/rasa_adapter/speedups.py`) | {veivalg['seconds']:.1f} s | {len(veivalg['parsed'])} | "
        f"{len(veivalg['actions'])} | {len(wrong)} |",
        "",
        "TED's predictions in the Veivalg run: {remembered} remembered, {computed} computed, {kept} with a text "
        "(not kept).".format(remembered=veivalg["ted"].get("remembered", 0),
                             computed=veivalg["ted"].get("computed", 0), kept=veivalg["ted"].get("not kept", 0)),
    ])
    write_section("model_load", body)
    print(body)
    for line in wrong[:20]:
        print(line)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
