"""Vector store: embedded Chroma by default, a `chroma run` server when a URL is set."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

import numpy as np

from assistant.chunking import Chunk
from assistant.embeddings import Vectors


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back from the store."""

    id: str
    text: str
    metadata: dict[str, Any]


class VectorStore(Protocol):
    """What retrieval and ingest need from a vector database."""

    def add(self, chunks: Sequence[Chunk], vectors: Vectors) -> None: ...

    def delete_source(self, source: str) -> None: ...

    def query(self, vector: Vectors, n: int) -> list[tuple[str, float]]: ...

    def get(self, ids: Sequence[str]) -> list[StoredChunk]: ...

    def all_chunks(self) -> list[StoredChunk]: ...

    def count(self) -> int: ...

    def reset(self) -> None: ...


class ChromaStore:
    """A Chroma collection with cosine distance; embeddings are always supplied by us."""

    def __init__(self, client: Any, collection: str) -> None:
        self._client = client
        self._name = collection
        self._collection = self._open()

    @classmethod
    def persistent(cls, path: Path, collection: str) -> ChromaStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(
            path=str(path), settings=ChromaSettings(anonymized_telemetry=False)
        )
        return cls(client, collection)

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
            name=self._name,
            configuration={"hnsw": {"space": "cosine"}},
            embedding_function=None,
        )

    def add(self, chunks: Sequence[Chunk], vectors: Vectors) -> None:
        if not chunks:
            return
        metadatas = [
            {"source": c.source, "title": c.title, "section": c.section, **c.metadata}
            for c in chunks
        ]
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=np.asarray(vectors, dtype=np.float32),
            documents=[c.text for c in chunks],
            metadatas=metadatas,
        )

    def delete_source(self, source: str) -> None:
        self._collection.delete(where={"source": source})

    def query(self, vector: Vectors, n: int) -> list[tuple[str, float]]:
        total = self.count()
        if total == 0:
            return []
        result = self._collection.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=min(n, total),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result["distances"] else [1.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def get(self, ids: Sequence[str]) -> list[StoredChunk]:
        if not ids:
            return []
        result = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            i: StoredChunk(i, doc or "", dict(meta or {}))
            for i, doc, meta in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            )
        }
        return [found[i] for i in ids if i in found]

    def all_chunks(self) -> list[StoredChunk]:
        chunks: list[StoredChunk] = []
        offset, page = 0, 5000
        while True:
            result = self._collection.get(
                include=["documents", "metadatas"], limit=page, offset=offset
            )
            for i, doc, meta in zip(
                result["ids"], result["documents"], result["metadatas"], strict=True
            ):
                chunks.append(StoredChunk(i, doc or "", dict(meta or {})))
            if len(result["ids"]) < page:
                return chunks
            offset += page

    def count(self) -> int:
        return int(self._collection.count())

    def reset(self) -> None:
        with contextlib.suppress(Exception):  # an absent collection is fine
            self._client.delete_collection(self._name)
        self._collection = self._open()
