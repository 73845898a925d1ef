"""Hybrid search: dense similarity from the vector store fused with BM25."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from assistant.embeddings import Embedder
from assistant.lexical import BM25Index
from assistant.store import StoredChunk, VectorStore


class SearchError(ValueError):
    """A search request that cannot be served as asked."""


@dataclass(frozen=True)
class SearchResult:
    """One passage with where it came from and its fused score."""

    text: str
    source: str
    title: str
    section: str
    score: float
    id: str = ""
    flagged: bool = False

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["score"] = round(self.score, 4)
        return data


@dataclass(frozen=True)
class _LexicalIndex:
    """Chunk texts, their positions by id, and the BM25 index over them (swapped as one)."""

    chunks: list[StoredChunk]
    positions: dict[str, int]
    bm25: BM25Index


def _context(chunk: StoredChunk) -> str:
    meta = chunk.metadata
    heading = " > ".join(str(p) for p in (meta.get("title"), meta.get("section")) if p)
    return f"{heading}\n{chunk.text}"


class Retriever:
    """Searches the store; the lexical index is rebuilt when the manifest changes."""

    def __init__(
        self,
        store: VectorStore,
        embedder: Embedder,
        manifest_path: Path,
        dense_weight: float = 0.6,
        k_max: int = 50,
        max_query_chars: int = 2000,
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._manifest_path = manifest_path
        self._dense_weight = dense_weight
        self._k_max = k_max
        self._max_query_chars = max_query_chars
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = (-1, -1, -1)
        self._index = _LexicalIndex([], {}, BM25Index([]))

    def _stamp_now(self) -> tuple[int, int, int] | None:
        """Changes whenever ingest rewrites the manifest (atomic replace: a new inode)."""
        try:
            stat = self._manifest_path.stat()
        except FileNotFoundError:
            return None
        return stat.st_mtime_ns, stat.st_ino, stat.st_size

    def refresh(self, force: bool = False) -> None:
        """Reload chunk texts for the lexical index if the index changed on disk."""
        stamp = self._stamp_now()
        if not force and stamp == self._stamp:
            return
        with self._lock:
            chunks = self._store.all_chunks()
            positions = {c.id: i for i, c in enumerate(chunks)}
            self._index = _LexicalIndex(chunks, positions, BM25Index([_context(c) for c in chunks]))
            self._stamp = stamp

    @property
    def chunks(self) -> list[StoredChunk]:
        self.refresh()
        return self._index.chunks

    @property
    def chunk_count(self) -> int:
        return len(self.chunks)

    def search(self, query: str, k: int = 5) -> list[SearchResult]:
        query = query.strip()
        if not query:
            raise SearchError("the query is empty")
        if len(query) > self._max_query_chars:
            raise SearchError(f"the query is longer than {self._max_query_chars} characters")
        if not 1 <= k <= self._k_max:
            raise SearchError(f"k must be between 1 and {self._k_max}")
        self.refresh()
        index_ = self._index  # one consistent snapshot, even if a refresh swaps it meanwhile
        if not index_.chunks:
            return []
        pool = max(k * 4, 20)
        dense = dict(self._store.query(self._embedder.embed_query(query), pool))
        lexical = index_.bm25.scores(query)
        top_lexical = (
            np.argpartition(-lexical, pool)[:pool]
            if len(lexical) > pool
            else np.arange(len(lexical))
        )
        lex_max = float(lexical.max()) if len(lexical) else 0.0
        dense_floor = min(dense.values(), default=0.0)

        candidates: dict[int, float] = {}
        for chunk_id, similarity in dense.items():
            if chunk_id in index_.positions:
                candidates[index_.positions[chunk_id]] = similarity
        for index in top_lexical:
            if lexical[index] > 0:
                candidates.setdefault(int(index), dense_floor)
        weight = self._dense_weight
        scored = [
            (
                weight * similarity
                + (1 - weight) * (float(lexical[i]) / lex_max if lex_max > 0 else 0.0),
                i,
            )
            for i, similarity in candidates.items()
        ]
        scored.sort(reverse=True)
        results = []
        for score, index in scored[:k]:
            chunk = index_.chunks[index]
            meta = chunk.metadata
            results.append(
                SearchResult(
                    text=chunk.text,
                    source=str(meta.get("source", "")),
                    title=str(meta.get("title", "")),
                    section=str(meta.get("section", "")),
                    score=score,
                    id=chunk.id,
                    flagged=bool(meta.get("injection_flag", False)),
                )
            )
        return results
