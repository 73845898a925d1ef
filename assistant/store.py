"""Vector store: embedded Chroma by default, a `chroma run` server when a URL is set."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from assistant.chunking import Chunk
from assistant.embeddings import Vectors

Where = dict[str, Any]
_CLIENT_LOCK = threading.Lock()
_FILTERED = ("source", "tenant")
"""The only metadata keys searches filter on; everything else travels in one packed record."""
_PACKED = "chunk"


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store."""

    id: str
    text: str
    metadata: dict[str, Any]


class VectorStore(Protocol):
    """What retrieval and ingest need from one collection of a vector database."""

    name: str

    def add(self, chunks: Sequence[Chunk], vectors: Vectors) -> None: ...

    def delete_source(self, source: str) -> None: ...

    def query(
        self, vector: Vectors, n: int, where: Where | None = None
    ) -> list[tuple[str, float]]: ...

    def get(self, ids: Sequence[str]) -> list[StoredChunk]: ...

    def all_chunks(self) -> list[StoredChunk]: ...

    def source_counts(self) -> dict[str, int]: ...

    def chunks_of(self, sources: Sequence[str]) -> list[StoredChunk]: ...

    def count(self) -> int: ...

    def reset(self) -> None: ...

    def collections(self) -> list[str]: ...

    def drop(self, name: str) -> None: ...

    def close(self) -> None: ...


StoreOpener = Callable[[str], VectorStore]
"""Opens (creating if needed) a collection by name with a view that is fresh from disk."""


def _fresh_persistent_client(path: Path) -> Any:
    """A PersistentClient that re-reads the folder: embedded Chroma caches each collection's
    vector index per process, so another process's writes are only seen by a new client."""
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(
        anonymized_telemetry=False, is_persistent=True, persist_directory=str(path)
    )
    with _CLIENT_LOCK:  # each caller gets its own client, never one another thread just made
        with contextlib.suppress(Exception):  # private cache; a miss only costs a reload
            identifier = SharedSystemClient._get_identifier_from_settings(settings)
            SharedSystemClient._identifier_to_system.pop(identifier, None)
        return chromadb.PersistentClient(path=str(path), settings=settings)


def _packed(chunk: Chunk) -> dict[str, Any]:
    """A chunk's Chroma metadata: the filtered keys, and the text with the rest as one JSON
    string. Chroma's own document field is left empty: embedded Chroma builds a trigram
    full-text index of it on every write, which nothing here reads (BM25 is our own)."""
    record = {"text": chunk.text, "title": chunk.title, "section": chunk.section}
    record.update(chunk.metadata)
    meta = {"source": chunk.source, "tenant": str(chunk.metadata.get("tenant", ""))}
    meta[_PACKED] = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return meta


def _stored(chunk_id: str, document: str | None, meta: Any) -> StoredChunk:
    """A chunk read back; collections written before the packed record still read."""
    metadata = dict(meta or {})
    packed = metadata.pop(_PACKED, None)
    if not isinstance(packed, str):
        return StoredChunk(chunk_id, document or "", metadata)
    record = json.loads(packed)
    text = str(record.pop("text", ""))
    record.update({key: metadata[key] for key in _FILTERED if key in metadata})
    return StoredChunk(chunk_id, text, record)


class ChromaStore:
    """A Chroma collection with cosine distance; embeddings are always supplied by us."""

    def __init__(self, client: Any, collection: str, owned: bool = False) -> None:
        self._client = client
        self.name = collection
        self._owned = owned
        self._collection = self._open()

    @classmethod
    def persistent(cls, path: Path, collection: str) -> ChromaStore:
        path.mkdir(parents=True, exist_ok=True)
        return cls(_fresh_persistent_client(path), collection, owned=True)

    @classmethod
    def http(cls, url: str, collection: str) -> ChromaStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        parsed = urlparse(url if "://" in url else f"http://{url}")
        client = chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=ChromaSettings(anonymized_telemetry=False),
        )
        return cls(client, collection)

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            name=self.name,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    def add(self, chunks: Sequence[Chunk], vectors: Vectors) -> None:
        if not chunks:
            return
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=np.asarray(vectors, dtype=np.float32),
            metadatas=[_packed(c) for c in chunks],
        )

    def delete_source(self, source: str) -> None:
        self._collection.delete(where={"source": source})

    def query(
        self, vector: Vectors, n: int, where: Where | None = None
    ) -> list[tuple[str, float]]:
        # Chroma returns fewer than n results (none from an empty collection) by itself; a
        # count() first would cost a second round trip on every search.
        result = self._collection.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=n,
            where=where,
            include=["distances"],
        )
        ids = result["ids"][0] if result["ids"] else []
        distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        result = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            i: _stored(i, doc, meta)
            for i, doc, meta in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            )
        }
        return [found[i] for i in ids if i in found]

    def _pages(self, include: list[str]) -> Any:
        offset, page = 0, 5000
        while True:
            result = self._collection.get(include=include, limit=page, offset=offset)
            yield result
            if len(result["ids"]) < page:
                return
            offset += page

    def all_chunks(self) -> list[StoredChunk]:
        chunks: list[StoredChunk] = []
        for result in self._pages(["documents", "metadatas"]):
            for i, doc, meta in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            ):
                chunks.append(_stored(i, doc, meta))
        return chunks

    def chunks_of(self, sources: Sequence[str]) -> list[StoredChunk]:
        """Every chunk of the given sources."""
        chunks: list[StoredChunk] = []
        names = list(sources)
        for start in range(0, len(names), 200):
            result = self._collection.get(
                where={"source": {"$in": names[start : start + 200]}},
                include=["documents", "metadatas"],
            )
            for i, doc, meta in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            ):
                chunks.append(_stored(i, doc, meta))
        return chunks

    def source_counts(self) -> dict[str, int]:
        """Chunks per source, reading metadata only."""
        counts: dict[str, int] = {}
        for result in self._pages(["metadatas"]):
            for meta in result["metadatas"]:
                source = str((meta or {}).get("source", ""))
                counts[source] = counts.get(source, 0) + 1
        return counts

    def count(self) -> int:
        return int(self._collection.count())

    def reset(self) -> None:
        with contextlib.suppress(Exception):  # an absent collection is fine
            self._client.delete_collection(self.name)
        self._collection = self._open()

    def collections(self) -> list[str]:
        return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]

    def drop(self, name: str) -> None:
        """Delete another collection of the same database (absent is fine)."""
        if name == self.name:
            raise ValueError("cannot drop the open collection")
        with contextlib.suppress(Exception):
            self._client.delete_collection(name)

    def close(self) -> None:
        """Release an embedded client's memory (its own vector index copy); a no-op for
        servers, whose HTTP clients are shared."""
        if self._owned:
            # Dropping the references frees the client. Stopping its System is not safe:
            # embedded Chroma's stop also breaks the other clients of the same folder in this
            # process (the live snapshot's dense search then fails).
            self._collection = None
            self._client = None
            self._owned = False
