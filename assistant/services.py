"""Wires settings to components once; the CLI and the API both start here."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from assistant.backends import build_embedder, build_store_opener
from assistant.embeddings import Embedder
from assistant.generation import IndexFiles
from assistant.ingest import Ingestor, IngestReport, Progress
from assistant.retrieval import Retriever, SearchResult
from assistant.settings import Settings
from assistant.store import StoreOpener, VectorStore

if TYPE_CHECKING:
    from assistant.chat import ChatService
    from assistant.drafting import Draft, DraftOptions
    from assistant.models import ClientCase, PractitionerProfile
    from assistant.skills import ImportResult
    from assistant.storage import ConversationRecord, Database, KeyInfo
    from assistant.tiers import TierGap
    from assistant.uploads import Uploads
    from guardrails import Decision, ScopeGuard


class DraftFile(NamedTuple):
    """A draft exported to one format, with the file name to offer."""

    name: str
    data: bytes


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

    def warm(self, guard_progress: Callable[[str, int, int], None] | None = None) -> bool:
        """Load everything a first request would otherwise wait for; True when the guard's
        model had to be trained first (reported through `guard_progress`)."""
        self.retriever.refresh()
        return self.guard.warm(guard_progress)

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

    # ------------------------------------------------- what the routers and CLI commands call
    def index_stats(self) -> dict[str, int]:
        """Documents, chunks and generation of the live index."""
        return self.retriever.stats()

    def check_text(self, text: str) -> Decision:
        """The guard's verdict on one message (ValueError for text it cannot read)."""
        return self.guard.check_input(text)

    def draft(
        self, kind: str, case: ClientCase, options: DraftOptions | dict[str, Any] | None = None
    ) -> Draft:
        """Draft a document from a case (DraftError names what is wrong)."""
        from assistant.drafting import draft, parse_options

        return draft(kind, case, parse_options(options), self.settings.knowledge_dir)

    def export_draft(self, result: Draft, fmt: str) -> bytes:
        """A draft as md, docx or pdf bytes."""
        from assistant.drafting import export

        return export(result, fmt)

    def chat_draft_file(self, tenant: str, draft_id: str, fmt: str) -> DraftFile | None:
        """A draft made in chat, exported; None when the tenant has no such draft."""
        record = self.db.get_draft(tenant, draft_id)
        if record is None:
            return None
        return DraftFile(f"{record.kind}.{fmt}", self.export_draft(record.to_draft(), fmt))

    def tier_gap(self, profile: PractitionerProfile) -> TierGap:
        """What the profile still needs for the next tier (imported checklist when present)."""
        from assistant.skills import skills_file
        from assistant.tiers import tier_gap

        s = self.settings
        return tier_gap(
            profile, s.knowledge_dir / "tiers.yaml", skills_file(s.data_dir, s.knowledge_dir)
        )

    def import_skills(self, source: Path) -> ImportResult:
        """Validate a skills checklist and store it in the data dir (SkillsError if bad)."""
        from assistant.skills import import_skills, imported_skills_path

        return import_skills(source, imported_skills_path(self.settings.data_dir))

    def conversations(self, tenant: str) -> list[ConversationRecord]:
        return self.db.list_conversations(tenant)

    def conversation(self, tenant: str, conversation_id: str) -> ConversationRecord | None:
        return self.db.get_conversation(tenant, conversation_id)

    def delete_conversation(self, tenant: str, conversation_id: str) -> bool:
        return self.db.delete_conversation(tenant, conversation_id)

    def add_feedback(
        self,
        tenant: str,
        conversation_id: str,
        message_id: str,
        rating: str,
        comment: str | None = None,
    ) -> bool:
        """False when the tenant has no such message in that conversation."""
        return self.db.add_feedback(tenant, conversation_id, message_id, rating, comment)

    def completion_conversation(
        self, tenant: str, history: Iterable[tuple[str, str]]
    ) -> str | None:
        """The conversation an OpenAI-style request continues, given its earlier turns."""
        from assistant.transcripts import conversation_for

        return conversation_for(self.db, tenant, list(history))

    def has_keys(self) -> bool:
        return self.db.has_keys()

    def authenticate(self, secret: str) -> KeyInfo | None:
        return self.db.authenticate(secret)

    def create_key(
        self, tenant: str, role: str, origins: list[str], rate_limit_per_min: int
    ) -> tuple[KeyInfo, str]:
        """A new key and its secret (shown once)."""
        return self.db.create_key(tenant, role, origins, rate_limit_per_min)

    def list_keys(self, tenant: str | None = None) -> list[KeyInfo]:
        return self.db.list_keys(tenant)

    def revoke_key(self, key_id: str, tenant: str | None = None) -> bool:
        return self.db.revoke_key(key_id, tenant)
