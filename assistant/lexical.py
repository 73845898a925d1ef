"""A small in-memory BM25 index, so exact figures and names are found as well as paraphrases."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

_TOKEN = re.compile(r"[a-z0-9]+(?:[-–/.][a-z0-9]+)*")
_STOP = frozenset(
    (
        "a an and are as at be before by can do does for from has have how i if in is it its me my "
        "of on or our should so that the their them then there these this to was we what when "
        "where which who why will with you your"
    ).split()
)


def _stem(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix in ("ational", "ation", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case terms; compound figures like `50–75` or `160/100` are kept whole and in parts."""
    tokens: list[str] = []
    for match in _TOKEN.finditer(text.lower().replace("–", "-")):
        word = match.group(0)
        parts = re.split(r"[-/.]", word)
        if len(parts) > 1:
            tokens.append(word)
        tokens.extend(_stem(p) for p in parts if p and p not in _STOP)
    return tokens


class BM25Index:
    """Okapi BM25 over a fixed list of texts; scores come back as an array aligned with them."""

    def __init__(self, texts: Sequence[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        self._k1, self._b = k1, b
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        lengths = np.zeros(self.size, dtype=np.float32)
        for doc_index, text in enumerate(texts):
            counts = Counter(tokenize(text))
            lengths[doc_index] = sum(counts.values())
            for term, tf in counts.items():
                postings[term].append((doc_index, tf))
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1.0))
        self._postings: dict[str, tuple[NDArray[np.int64], NDArray[np.float32], float]] = {}
        for term, items in postings.items():
            docs = np.fromiter((d for d, _ in items), dtype=np.int64, count=len(items))
            tfs = np.fromiter((t for _, t in items), dtype=np.float32, count=len(items))
            df = len(items)
            idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
            self._postings[term] = (docs, tfs, idf)

    def scores(self, query: str) -> NDArray[np.float32]:
        """BM25 per text; terms with digits (codes, counts, limits) weigh double."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term in set(tokenize(query)):
            posting = self._postings.get(term)
            if posting is None:
                continue
            docs, tfs, idf = posting
            boost = 2.0 if any(ch.isdigit() for ch in term) else 1.0
            scores[docs] += boost * idf * tfs * (self._k1 + 1) / (tfs + self._norm[docs])
        return scores
