"""Labelled examples shipped in guardrails/data/, and the fixed held-out split."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guardrails.decision import Category

DATA_DIR = Path(__file__).resolve().parent / "data"
AUTHORED_DIR = DATA_DIR / "authored"
BOUNDARY_DIR = DATA_DIR / "boundary"
SCOPE_DEV = DATA_DIR / "scope_dev.jsonl"
HELDOUT = DATA_DIR / "heldout.jsonl"
HELDOUT_SHARE = 0.2
EXCLUDED = DATA_DIR / "excluded.sha256"
"""SHA-256 of the normalised sentences of the test sets (blind set, tests, rail examples): never
trained on. Hashes only, so the blind set's wording is not copied here."""
_NOT_WORD = re.compile(r"[\W_]+")


def normalised_key(text: str) -> str:
    """Lower case, letters and digits only (any script), single spaces: how texts are compared."""
    return _NOT_WORD.sub(" ", text.lower()).strip()


def sentence_hash(text: str) -> str:
    return hashlib.sha256(normalised_key(text).encode("utf-8")).hexdigest()


def excluded_hashes(path: Path = EXCLUDED) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines())


def write_exclusions(texts: Iterable[str], path: Path = EXCLUDED) -> int:
    """Record the hashes of test-set sentences (sorted, deduplicated); returns how many."""
    hashes = sorted({sentence_hash(t) for t in texts if normalised_key(t)})
    path.write_text("\n".join(hashes) + "\n", encoding="utf-8")
    return len(hashes)


@dataclass(frozen=True)
class Example:
    """One labelled message."""

    text: str
    label: Category
    source: str = "authored"
    group: str = ""
    """Minimal-pair group: examples of one group go to the same side of a split."""
    lang: str = "en"
    """ISO 639-1 language of the message, when the data says (`lang`)."""

    @property
    def group_key(self) -> str:
        return self.group or "text:" + _rank(self.text)


def _authored(folder: Path) -> Iterator[Example]:
    for category in Category:
        path = folder / f"{category.value}.txt"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text and not text.startswith("#"):
                yield Example(text, category, "authored")


def read_jsonl(path: Path) -> list[Example]:
    """Examples from a JSON-lines file with `text` and `label` on each line."""
    examples: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            examples.append(
                Example(
                    str(row["text"]),
                    Category(row["label"]),
                    str(row.get("source", "")),
                    lang=str(row.get("lang") or "en"),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a labelled example ({exc})") from exc
    return examples


def all_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    """Every shipped example: the authored files plus the copied scope_dev set (deduplicated)."""
    seen: set[str] = set()
    found: list[Example] = []
    sources = [*_authored(data_dir / "authored"), *read_jsonl(data_dir / SCOPE_DEV.name)]
    for example in sources:
        key = example.text.strip().lower()
        if key not in seen:
            seen.add(key)
            found.append(example)
    return found


def _rank(text: str) -> str:
    return hashlib.sha256(text.strip().lower().encode("utf-8")).hexdigest()


def split(
    examples: Iterable[Example], share: float = HELDOUT_SHARE
) -> tuple[list[Example], list[Example]]:
    """(train, held-out): a fixed, stratified split by label and source, ordered by hash."""
    groups: dict[tuple[str, str], list[Example]] = defaultdict(list)
    for example in examples:
        groups[(example.label.value, example.source)].append(example)
    train: list[Example] = []
    heldout: list[Example] = []
    for key in sorted(groups):
        ranked = sorted(groups[key], key=lambda e: _rank(e.text))
        cut = round(len(ranked) * share)
        heldout.extend(ranked[:cut])
        train.extend(ranked[cut:])
    return train, heldout


def write_heldout(path: Path = HELDOUT, data_dir: Path = DATA_DIR) -> int:
    """Rewrite the held-out file from the shipped data (done once; the file is then fixed)."""
    _, heldout = split(all_examples(data_dir))
    lines = [
        json.dumps({"text": e.text, "label": e.label.value, "source": e.source}, ensure_ascii=False)
        for e in heldout
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(heldout)


def boundary_examples(folder: Path = BOUNDARY_DIR) -> list[Example]:
    """The minimal-pair data: every *.jsonl in `folder` (text, label, topic, pair, ask)."""
    examples: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                group = str(row.get("pair") or "")
                examples.append(
                    Example(str(row["text"]), Category(row["label"]), f"boundary:{path.stem}",
                            f"{path.stem}/{group}" if group else "")
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a labelled example ({exc})") from exc
    return examples


def guard_training_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    """What the guard's model learns from: the baseline's data plus the minimal pairs
    (deduplicated, never a held-out or development-set text)."""
    seen = {normalised_key(e.text) for e in read_jsonl(data_dir / HELDOUT.name)}
    for dev in sorted((data_dir / "dev").glob("*.jsonl")):  # looked at, never learnt
        seen.update(normalised_key(e.text) for e in read_jsonl(dev))
    excluded = excluded_hashes(data_dir / EXCLUDED.name)
    found: list[Example] = []
    for example in [*training_examples(data_dir), *boundary_examples(data_dir / "boundary")]:
        key = normalised_key(example.text)
        if key not in seen and sentence_hash(example.text) not in excluded:
            seen.add(key)
            found.append(example)
    return found


def training_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    """All shipped examples except those in the held-out file (never trained on): the
    logistic-regression baseline's data."""
    heldout_path = data_dir / HELDOUT.name
    held: set[str] = set()
    if heldout_path.exists():
        held = {normalised_key(e.text) for e in read_jsonl(heldout_path)}
    excluded = excluded_hashes(data_dir / EXCLUDED.name)
    return [
        e
        for e in all_examples(data_dir)
        if normalised_key(e.text) not in held and sentence_hash(e.text) not in excluded
    ]


def heldout_examples(data_dir: Path = DATA_DIR) -> list[Example]:
    return read_jsonl(data_dir / HELDOUT.name)
