"""Keep the test sets out of the guard's training data: `python -m guardrails.exclusions`.

Adds the hashes of every test sentence (the blind sets, strings of four words or more in the
guard's tests, the rails' examples) to `guardrails/data/excluded.sha256`. Hashes are only
added, never removed, so a test sentence deleted later stays out of training.
"""

from __future__ import annotations

import ast
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from guardrails.dataset import EXCLUDED, excluded_hashes, normalised_key, sentence_hash
from guardrails.rules import default_rails

REPO = Path(__file__).resolve().parents[1]
MIN_WORDS = 4


def blind_sentences(repo: Path = REPO) -> list[str]:
    """The messages of every blind set (`tests/data/guard_blind*.jsonl`)."""
    texts: list[str] = []
    for path in sorted((repo / "tests" / "data").glob("guard_blind*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return texts


def test_file_sentences(repo: Path = REPO) -> list[str]:
    """Strings of MIN_WORDS words or more in the guard's test files."""
    files = [
        *sorted((repo / "tests" / "guardrails").glob("test_*.py")),
        repo / "tests" / "api" / "test_guard_api.py",
    ]
    found: list[str] = []
    for path in files:
        if not path.exists():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and len(text.split()) >= MIN_WORDS:
                found.append(text)
    return found


def rail_examples() -> list[str]:
    """Every rule's must-match and must-not-match example."""
    return [
        text
        for rail in default_rails().rails.values()
        for rule in rail.rules
        for text in (*rule.must_match, *rule.must_not_match)
    ]


def add_exclusions(texts: Iterable[str], path: Path = EXCLUDED) -> int:
    """Merge the hashes of `texts` into `path` (sorted, atomic write); returns how many are new."""
    known = excluded_hashes(path)
    new = {sentence_hash(t) for t in texts if normalised_key(t)} - known
    if not new:
        return 0
    body = "\n".join(sorted(known | new)) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".excluded-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(new)


def main() -> int:
    texts = [*blind_sentences(), *test_file_sentences(), *rail_examples()]
    added = add_exclusions(texts)
    total = len(excluded_hashes())
    print(f"{added} new hashes added to {EXCLUDED.relative_to(REPO)} ({total} in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
