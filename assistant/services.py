"""Wires settings to components once; the CLI and the API both start here."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.backends import build_embedder, build_store_opener
from assistant.embeddings import Embedder
from assistant.generation import IndexFiles
from assistant.ingest import Ingestor, IngestReport, Progress
from assistant.retrieval import Retriever, SearchResult
from assistant.settings import Settings
from assistant.store import StoreOpener, VectorStore

if TYPE_CHECKING:
    from assistant.chat import ChatService
    from assistant.storage import Database
    from assistant.uploads import Uploads
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
    def store_opener(self) -> StoreOpener:
        return build_store_opener(self.settings)

    @cached_property
    def index_files(self) -> IndexFiles:
        return IndexFiles(self.settings)

    @property
    def store(self) -> VectorStore:
        """The live collection, freshly opened (for inspection; searches use snapshots)."""
        pointer = self.index_files.read()
        return self.store_opener(pointer.collection if pointer else self.settings.collection)

    @cached_property
    def retriever(self) -> Retriever:
        s = self.settings
        return Retriever(
            self.index_files,
            self.store_opener,
            self.embedder,
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

    @cached_property
    def chat(self) -> ChatService:
        """The chat service (guard, intent, capability, output check, stored reply)."""
        from assistant.chat import build_chat

        return build_chat(self)

    @cached_property
    def uploads(self) -> Uploads:
        """Documents uploaded per tenant (saved in data_dir/uploads, indexed for the tenant)."""
        from assistant.uploads import Uploads

        return Uploads(
            self.settings.data_dir / "uploads",
            self.settings.max_file_bytes,
            lambda paths, tenant: self.ingest(paths, tenant=tenant),
            self.remove,
        )

    def warm(self) -> None:
        """Load everything a first request would otherwise wait for."""
        self.retriever.refresh()
        self.guard.warm()

    def _ingestor(self) -> Ingestor:
        from guardrails.injection import flags_injection

        return Ingestor(self.settings, self.store_opener, lambda: self.embedder, flags_injection)

    def _refresh_index(self) -> None:
        """This process's own changes are searchable as soon as ingest returns."""
        if "retriever" in self.__dict__:
            self.retriever.refresh()

    def ingest(
        self,
        paths: Iterable[Path],
        rebuild: bool = False,
        progress: Progress | None = None,
        tenant: str | None = None,
    ) -> IngestReport:
        """Index files; chunks carry `tenant` ("" for the shared framework)."""
        report = self._ingestor().run(paths, rebuild=rebuild, progress=progress, tenant=tenant)
        self._refresh_index()
        return report

    def remove(self, paths: Iterable[Path]) -> list[str]:
        """Remove the given files' chunks and manifest entries; returns their sources."""
        removed = self._ingestor().remove(paths)
        self._refresh_index()
        return removed

    def search(self, query: str, k: int = 5, tenant: str | None = None) -> list[SearchResult]:
        """Shared passages plus, when given, that tenant's own."""
        return self.retriever.search(query, k, tenant)
