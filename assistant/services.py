"""Wires settings to components once; the CLI and the API both start here."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.backends import build_embedder, build_store
from assistant.embeddings import Embedder
from assistant.ingest import Ingestor, IngestReport, Progress
from assistant.retrieval import Retriever, SearchResult
from assistant.settings import Settings
from assistant.store import VectorStore

if TYPE_CHECKING:
    from assistant.storage import Database
    from guardrails import ScopeGuard


class Services:
    """Lazily built components: nothing heavy loads until it is first needed."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self._embedder = embedder
        self._lock = threading.Lock()

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                self._embedder = build_embedder(self.settings)
            return self._embedder

    @cached_property
    def store(self) -> VectorStore:
        return build_store(self.settings)

    @cached_property
    def retriever(self) -> Retriever:
        s = self.settings
        return Retriever(
            self.store,
            self.embedder,
            s.manifest_path,
            s.dense_weight,
            s.search_k_max,
            s.max_query_chars,
        )

    @cached_property
    def guard(self) -> ScopeGuard:
        from guardrails import build_guard

        return build_guard(self.settings, self.embedder)

    @cached_property
    def db(self) -> Database:
        """The conversation store, migrated to the newest schema on first use."""
        from assistant.storage import Database

        return Database(self.settings)

    def warm(self) -> None:
        """Load everything a first request would otherwise wait for."""
        self.retriever.refresh()
        self.guard.warm()

    def ingest(
        self, paths: Iterable[Path], rebuild: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        from guardrails.injection import flags_injection

        ingestor = Ingestor(self.settings, self.store, lambda: self.embedder, flags_injection)
        return ingestor.run(paths, rebuild=rebuild, progress=progress)

    def search(self, query: str, k: int = 5) -> list[SearchResult]:
        return self.retriever.search(query, k)
