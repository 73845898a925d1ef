"""Retrieval evaluation: recall@k and MRR against a question set with expected documents."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.retrieval import Retriever

QUESTIONS = Path(__file__).resolve().parent / "data" / "retrieval_questions.jsonl"
"""The retrieval question set shipped with the package (`mes-ai eval retrieval` default)."""


@dataclass
class RetrievalScore:
    """Aggregate figures plus the misses, for a human to read."""

    questions: int = 0
    recall_at_k: float = 0.0
    section_recall_at_k: float = 0.0
    mrr: float = 0.0
    k: int = 5
    misses: list[dict[str, object]] = field(default_factory=list)


def load_questions(path: Path) -> list[dict[str, str]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not row.get("q") or not row.get("doc"):
            raise ValueError(f"{path}:{number}: each line needs 'q' and 'doc'")
        rows.append(row)
    return rows


def evaluate_retrieval(
    retriever: Retriever, questions: list[dict[str, str]], k: int = 5
) -> RetrievalScore:
    score = RetrievalScore(questions=len(questions), k=k)
    hits = section_hits = 0
    reciprocal = 0.0
    for row in questions:
        results = retriever.search(row["q"], k)
        sources = [r.source for r in results]
        rank = next((i for i, s in enumerate(sources, start=1) if s == row["doc"]), None)
        if rank is not None:
            hits += 1
            reciprocal += 1.0 / rank
        else:
            score.misses.append({"q": row["q"], "expected": row["doc"], "got": sources[:3]})
        section = row.get("section", "")
        if any(r.source == row["doc"] and section and section in r.section for r in results):
            section_hits += 1
    n = max(len(questions), 1)
    score.recall_at_k = hits / n
    score.section_recall_at_k = section_hits / n
    score.mrr = reciprocal / n
    return score
