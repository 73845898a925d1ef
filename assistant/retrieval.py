"""Hybrid search: dense similarity from the vector store fused with BM25.

The retriever serves one immutable snapshot (collection handle + BM25 over its chunks). It
polls the index pointer at most every `check_interval_s`; when another process (or this one)
changed the index, one background thread builds the next snapshot and swaps it in whole, so
dense and lexical results always come from the same generation and no request waits.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assistant.embeddings import Embedder
from assistant.generation import IndexFiles, IndexPointerError, Pointer, Stamp
from assistant.lexical import BM25Index, Terms, Vocabulary
from assistant.store import StoredChunk, StoreOpener, VectorStore, Where

_log = logging.getLogger(__name__)

RETIRE_AFTER_S = 60.0
"""A replaced snapshot's store is closed this long after the swap (requests take ms)."""


class SearchError(ValueError):
    """A search request that cannot be served as asked."""


class IndexEmptyError(SearchError):
    """Nothing is indexed yet."""


class IndexUnreadableError(SearchError):
    """The index pointer is damaged; the message says how to repair it."""


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
class _Source:
    """One indexed file in a snapshot: its manifest key, chunks and their BM25 terms."""

    key: str
    chunks: list[StoredChunk]
    terms: list[Terms]


@dataclass(frozen=True)
class Snapshot:
    """One generation of the index: the collection and the BM25 over the same chunks."""

    stamp: Stamp
    pointer: Pointer | None
    store: VectorStore | None
    chunks: list[StoredChunk]
    positions: dict[str, int]
    bm25: BM25Index
    tenant_codes: NDArray[np.int32]
    tenants: dict[str, int] = field(default_factory=dict)
    sources: dict[str, _Source] = field(default_factory=dict)

    @property
    def private(self) -> bool:
        """Whether any chunk belongs to a tenant (else no filtering is needed)."""
        return len(self.tenants) > 0

    @property
    def documents(self) -> int:
        return len(self.sources)


def _context(chunk: StoredChunk) -> str:
    meta = chunk.metadata
    heading = " > ".join(str(p) for p in (meta.get("title"), meta.get("section")) if p)
    return f"{heading}\n{chunk.text}"


def _manifest_keys(path: Path) -> dict[str, str] | None:
    """source -> what identifies its indexed chunks: the chunking and model configuration,
    the file's hash, its tenant and chunk count. Equal keys mean equal chunks, in any
    collection, so a refresh after a rebuild reads nothing again."""
    try:
        data = json.loads(path.read_text("utf-8"))
        config, files = data.get("config"), data.get("files", {})
        return {
            s: f"{config}|{e.get('hash')}|{e.get('tenant', '')}|{e.get('chunks')}"
            for s, e in files.items()
        }
    except (OSError, ValueError, AttributeError):
        return None


def _group(chunks: list[StoredChunk]) -> dict[str, list[StoredChunk]]:
    grouped: dict[str, list[StoredChunk]] = {}
    for chunk in chunks:
        grouped.setdefault(str(chunk.metadata.get("source", "")), []).append(chunk)
    for members in grouped.values():
        members.sort(key=lambda c: int(c.metadata.get("chunk_index", 0)))
    return grouped


def build_snapshot(
    stamp: Stamp,
    pointer: Pointer | None,
    store: VectorStore | None,
    vocabulary: Vocabulary,
    keys: dict[str, str] | None = None,
    previous: Snapshot | None = None,
) -> Snapshot:
    """Index the collection lexically. With the manifest's keys and a previous snapshot,
    only the files whose key changed are read and tokenized again."""
    sources: dict[str, _Source] = {}
    if store is not None and keys is not None and previous is not None:
        changed = [
            s for s, key in keys.items() if getattr(previous.sources.get(s), "key", None) != key
        ]
        fetched = _group(store.chunks_of(changed)) if changed else {}
        for source, key in keys.items():
            old = previous.sources.get(source)
            if old is not None and old.key == key:
                sources[source] = old
            elif source in fetched:
                members = fetched[source]
                terms = [vocabulary.terms(_context(c)) for c in members]
                sources[source] = _Source(key, members, terms)
    elif store is not None:
        for source, members in _group(store.all_chunks()).items():
            terms = [vocabulary.terms(_context(c)) for c in members]
            sources[source] = _Source((keys or {}).get(source, ""), members, terms)

    chunks = [c for src in sources.values() for c in src.chunks]
    tenants: dict[str, int] = {}
    codes = np.zeros(len(chunks), dtype=np.int32)
    for i, chunk in enumerate(chunks):
        tenant = str(chunk.metadata.get("tenant") or "")
        if tenant:
            codes[i] = tenants.setdefault(tenant, len(tenants) + 1)
    return Snapshot(
        stamp,
        pointer,
        store,
        chunks,
        {c.id: i for i, c in enumerate(chunks)},
        BM25Index(terms=[t for src in sources.values() for t in src.terms], vocabulary=vocabulary),
        codes,
        tenants,
        sources,
    )


class Retriever:
    """Searches the live snapshot; refreshes it off the request path when the index changes."""

    def __init__(
        self,
        files: IndexFiles,
        opener: StoreOpener,
        embedder: Embedder,
        dense_weight: float = 0.6,
        k_max: int = 50,
        max_query_chars: int = 2000,
        check_interval_s: float = 0.25,
    ) -> None:
        self._files = files
        self._opener = opener
        self._embedder = embedder
        self._dense_weight = dense_weight
        self._k_max = k_max
        self._max_query_chars = max_query_chars
        self._interval = check_interval_s
        self._vocabulary = Vocabulary()
        self._build_lock = threading.Lock()
        self._flag_lock = threading.Lock()
        self._refreshing = False
        self._checked = 0.0
        self._next_allowed = 0.0
        self._snapshot: Snapshot | None = None
        self._retired: list[tuple[float, VectorStore]] = []

    # -- snapshots --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Bring the snapshot up to date now (waits for a background refresh in flight)."""
        with self._build_lock:
            stamp = self._files.stamp()
            previous = self._snapshot
            if previous is not None and previous.stamp == stamp:
                return
            started = time.monotonic()
            pointer = self._files.read()
            store = self._opener(pointer.collection) if pointer is not None else None
            keys = None
            if pointer is not None:
                keys = _manifest_keys(self._files.manifest_path(pointer.collection))
            first = previous is None
            snapshot = build_snapshot(stamp, pointer, store, self._vocabulary, keys, previous)
            if store is not None and snapshot.chunks:  # load the vector index before serving
                probe = np.full(self._embedder.dimension, self._embedder.dimension**-0.5)
                store.query(probe.astype(np.float32), 1)
            self._snapshot = snapshot
            done = time.monotonic()
            self._retire(previous.store if previous else None, done)
            self._checked = done
            # Back-to-back refreshes (a long ingest elsewhere) leave requests at least half
            # the time between them; the first load, done before serving, does not count.
            self._next_allowed = done + (0.0 if first else min(done - started, 5.0))

    def _retire(self, store: VectorStore | None, now: float) -> None:
        """Close replaced stores once no request can still be using them."""
        if store is not None:
            self._retired.append((now, store))
        while self._retired and now - self._retired[0][0] > RETIRE_AFTER_S:
            self._retired.pop(0)[1].close()

    def _background_refresh(self) -> None:
        try:
            self.refresh()
        except Exception:  # keep serving the previous snapshot; the next check retries
            _log.exception("index refresh failed; serving the previous snapshot")
        finally:
            with self._flag_lock:
                self._refreshing = False

    def snapshot(self) -> Snapshot:
        """The current snapshot; starts one background refresh if the index changed."""
        current = self._snapshot
        if current is None:
            self.refresh()
            assert self._snapshot is not None
            return self._snapshot
        now = time.monotonic()
        if now - self._checked < self._interval or now < self._next_allowed:
            return current
        self._checked = now
        if self._files.stamp() != current.stamp:
            with self._flag_lock:
                if self._refreshing:
                    return current
                self._refreshing = True
            threading.Thread(
                target=self._background_refresh, name="index-refresh", daemon=True
            ).start()
        return current

    @property
    def refreshing(self) -> bool:
        return self._refreshing

    @property
    def chunks(self) -> list[StoredChunk]:
        return self.snapshot().chunks

    @property
    def chunk_count(self) -> int:
        return len(self.snapshot().chunks)

    def stats(self) -> dict[str, int]:
        snap = self.snapshot()
        generation = snap.pointer.generation if snap.pointer else 0
        return {"documents": snap.documents, "chunks": len(snap.chunks), "generation": generation}

    # -- search -----------------------------------------------------------------------------

    def search(self, query: str, k: int = 5, tenant: str | None = None) -> list[SearchResult]:
        """Top k passages among the shared ones and, when given, that tenant's own."""
        query = query.strip()
        if not query:
            raise SearchError("the query is empty")
        if len(query) > self._max_query_chars:
            raise SearchError(f"the query is longer than {self._max_query_chars} characters")
        if not 1 <= k <= self._k_max:
            raise SearchError(f"k must be between 1 and {self._k_max}")
        try:
            snap = self.snapshot()
        except IndexPointerError as exc:
            raise IndexUnreadableError(str(exc)) from exc
        if not snap.chunks or snap.store is None:
            raise IndexEmptyError(
                f"the index in {self._files.data_dir.resolve()} is empty: build it with "
                "`mes-ai ingest` (or set MES_DATA_DIR to where it was built)"
            )
        allowed: NDArray[np.bool_] | None = None
        where: Where | None = None
        if snap.private:
            code = snap.tenants.get(tenant or "", -1)
            allowed = (snap.tenant_codes == 0) | (snap.tenant_codes == code)
            where = {"tenant": {"$in": ["", tenant]}} if tenant else {"tenant": ""}

        pool = max(k * 4, 20)
        try:
            dense = dict(snap.store.query(self._embedder.embed_query(query), pool, where))
        except Exception:  # e.g. a collection dropped under a very stale snapshot
            _log.exception("dense search failed; answering from the lexical index")
            self._checked = 0.0
            dense = {}
        lexical = snap.bm25.scores(query)
        if allowed is not None:
            lexical = np.where(allowed, lexical, 0.0).astype(np.float32)
        top_lexical = (
            np.argpartition(-lexical, pool)[:pool]
            if len(lexical) > pool
            else np.arange(len(lexical))
        )
        lex_max = float(lexical.max()) if len(lexical) else 0.0
        dense_floor = min(dense.values(), default=0.0)

        candidates: dict[int, float] = {}
        for chunk_id, similarity in dense.items():
            position = snap.positions.get(chunk_id)
            if position is not None and (allowed is None or allowed[position]):
                candidates[position] = similarity
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
            chunk = snap.chunks[index]
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
