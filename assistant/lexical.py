"""A small in-memory BM25 index, so exact figures and names are found as well as paraphrases."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
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


Terms = tuple["NDArray[np.int32]", "NDArray[np.float32]"]
"""One text as (term ids, term frequencies) in a Vocabulary."""


class Vocabulary:
    """Term ids that stay stable across index rebuilds, so a text is tokenized only once."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()

    def terms(self, text: str) -> Terms:
        counts = Counter(tokenize(text))
        with self._lock:
            ids = [self._ids.setdefault(term, len(self._ids)) for term in counts]
        return (
            np.asarray(ids, dtype=np.int32),
            np.fromiter(counts.values(), dtype=np.float32, count=len(counts)),
        )

    def lookup(self, query: str) -> list[tuple[str, int]]:
        return [(t, self._ids[t]) for t in set(tokenize(query)) if t in self._ids]


class BM25Index:
    """Okapi BM25 over a fixed list of texts; scores come back as an array aligned with them.

    Postings are numpy arrays sorted by term id, built from each text's cached term arrays,
    so a rebuild after a small change costs a concatenate and a sort, not a re-tokenization.
    """

    def __init__(
        self,
        texts: Sequence[str] = (),
        k1: float = 1.2,
        b: float = 0.75,
        *,
        terms: Sequence[Terms] | None = None,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.vocabulary = vocabulary or Vocabulary()
        if terms is None:
            terms = [self.vocabulary.terms(t) for t in texts]
        self.size = len(terms)
        self._k1, self._b = k1, b
        lengths = np.fromiter((float(t[1].sum()) for t in terms), dtype=np.float32, count=self.size)
        average = float(lengths.mean()) if self.size else 1.0
        self._norm = k1 * (1 - b + b * lengths / max(average, 1.0))
        if self.size:
            term_ids = np.concatenate([t[0] for t in terms])
            tfs = np.concatenate([t[1] for t in terms])
            docs = np.repeat(np.arange(self.size, dtype=np.int32), [len(t[0]) for t in terms])
        else:
            term_ids = np.zeros(0, dtype=np.int32)
            tfs = np.zeros(0, dtype=np.float32)
            docs = np.zeros(0, dtype=np.int32)
        order = np.argsort(term_ids, kind="stable")
        self._term_ids, self._docs, self._tfs = term_ids[order], docs[order], tfs[order]

    def _posting(self, term_id: int) -> tuple[NDArray[np.int32], NDArray[np.float32]]:
        lo, hi = np.searchsorted(self._term_ids, [term_id, term_id + 1])
        return self._docs[lo:hi], self._tfs[lo:hi]

    def scores(self, query: str) -> NDArray[np.float32]:
        """BM25 per text; terms with digits (codes, counts, limits) weigh double."""
        scores = np.zeros(self.size, dtype=np.float32)
        for term, term_id in self.vocabulary.lookup(query):
            docs, tfs = self._posting(term_id)
            if not len(docs):
                continue
            df = len(docs)
            idf = math.log(1 + (self.size - df + 0.5) / (df + 0.5))
            boost = 2.0 if any(ch.isdigit() for ch in term) else 1.0
            scores[docs] += boost * idf * tfs * (self._k1 + 1) / (tfs + self._norm[docs])
        return scores
