"""No sentence of a test set is in the guard's training data (normalised comparison).

Test sets: the blind sets (tests/data/guard_blind*.jsonl, compared by count only: their
lines are never printed), the held-out split, the sentences in the guard's tests and the rails' examples.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from guardrails.dataset import (
    guard_training_examples,
    heldout_examples,
    normalised_key,
    training_examples,
)
from guardrails.rules import default_rails

REPO = Path(__file__).resolve().parents[2]
BLIND_SETS = sorted((REPO / "tests" / "data").glob("guard_blind*.jsonl"))
TEST_FILES = [
    *sorted((REPO / "tests" / "guardrails").glob("test_*.py")),
    REPO / "tests" / "api" / "test_guard_api.py",
]
normalised = normalised_key


def _trained() -> set[str]:
    return {normalised(e.text) for e in [*guard_training_examples(), *training_examples()]}


def _sentences_in_tests() -> dict[str, str]:
    """Every string of four words or more in the guard's test files, by normalised form."""
    found: dict[str, str] = {}
    for path in TEST_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and len(text.split()) >= 4:
                found[normalised(text)] = f"{path.name}: {text[:80]}"
    for rail in default_rails().rails.values():
        for rule in rail.rules:
            for text in (*rule.must_match, *rule.must_not_match):
                found[normalised(text)] = f"rails/{rail.name} {rule.name}: {text[:80]}"
    return found


def test_no_test_sentence_is_in_the_training_data() -> None:
    trained = _trained()
    found = _sentences_in_tests()
    found.pop("", None)  # a symbol with no words ("🆘") is no sentence to compare
    overlap = sorted(where for key, where in found.items() if key in trained)
    assert not overlap, "\n".join(overlap)


def test_held_out_split_is_not_in_the_training_data() -> None:
    trained = _trained()
    assert not [e.text for e in heldout_examples() if normalised(e.text) in trained]


@pytest.mark.parametrize("blind", BLIND_SETS, ids=lambda p: p.stem)
def test_blind_set_is_not_in_the_training_data(blind: Path) -> None:
    trained = _trained()
    lines = blind.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    shared = sum(normalised(t) in trained for t in texts)
    assert shared == 0, f"{shared} of {len(texts)} blind-set messages are in the training data"


DEV_SETS = sorted((REPO / "guardrails" / "data" / "dev").glob("*.jsonl"))


@pytest.mark.parametrize("dev", DEV_SETS, ids=lambda p: p.stem)
def test_development_set_is_not_in_the_training_data(dev: Path) -> None:
    trained = _trained()
    texts = [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert [t for t in texts if normalised(t) in trained] == []
