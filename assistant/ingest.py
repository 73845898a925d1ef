"""Incremental ingest keyed on content hashes; safe to kill and run again."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import atomic
from assistant.chunking import Chunk, chunk_document
from assistant.embeddings import Embedder
from assistant.loaders import SUPPORTED_SUFFIXES, LoaderError, load_document
from assistant.settings import Settings
from assistant.store import VectorStore

Progress = Callable[[int, int, str], None]
"""Called as (files done, files total, current source)."""


class IngestError(Exception):
    """The ingest could not start (e.g. a path does not exist)."""


@dataclass
class IngestReport:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    chunks_written: int = 0
    flagged_chunks: int = 0

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "skipped": len(self.skipped),
            "failed": len(self.failed),
            "chunks_written": self.chunks_written,
        }


@dataclass(frozen=True)
class SourceFile:
    path: Path
    root: Path
    source: str


def discover(paths: Iterable[Path]) -> list[SourceFile]:
    """Supported files under each path; a source is named `<root folder>/<relative path>`."""
    found: dict[str, SourceFile] = {}
    for given in paths:
        path = given.expanduser()
        if not path.exists():
            raise IngestError(f"path not found: {given}")
        root = path.resolve() if path.is_dir() else path.resolve().parent
        files = sorted(p for p in root.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if path.is_dir() and (
                file.suffix.lower() not in SUPPORTED_SUFFIXES
                or any(part.startswith((".", "__")) for part in file.relative_to(root).parts)
            ):
                continue
            resolved = file.resolve()
            source = f"{root.name}/{resolved.relative_to(root).as_posix()}"
            found[source] = SourceFile(resolved, root, source)
    return list(found.values())


class Manifest:
    """Which source files are indexed, with their hash and chunk count (written atomically)."""

    def __init__(self, path: Path, config: str) -> None:
        self.path = path
        self.config = config
        self.files: dict[str, dict[str, Any]] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text("utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                data = {}
            if data.get("config") == config:
                self.files = dict(data.get("files", {}))

    def save(self) -> None:
        atomic.write_json(self.path, {"config": self.config, "files": self.files})

    def expected_chunks(self) -> int:
        return sum(int(entry.get("chunks", 0)) for entry in self.files.values())


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Ingestor:
    """Keeps the vector store in step with the files under the given paths."""

    def __init__(
        self,
        settings: Settings,
        store: VectorStore,
        embedder: Callable[[], Embedder],
        flag_injection: Callable[[str], bool] | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._embedder = embedder
        self._flag = flag_injection
        config = f"{settings.chunk_size}/{settings.chunk_overlap}/{settings.embedding_model}/v1"
        self._manifest = Manifest(settings.manifest_path, config)

    def run(
        self, paths: Iterable[Path], rebuild: bool = False, progress: Progress | None = None
    ) -> IngestReport:
        files = discover(paths)
        report = IngestReport()
        if rebuild:
            self._store.reset()
            self._manifest.files = {}
            self._manifest.save()
        self._repair()
        roots = {f.root.as_posix() for f in files}
        seen = {f.source for f in files}
        for source, entry in list(self._manifest.files.items()):
            if entry.get("root") in roots and source not in seen:
                self._store.delete_source(source)
                del self._manifest.files[source]
                self._manifest.save()
                report.removed.append(source)
        for done, file in enumerate(files):
            if progress:
                progress(done, len(files), file.source)
            self._ingest_file(file, report)
        if progress:
            progress(len(files), len(files), "")
        return report

    def _repair(self) -> None:
        """After a crash the store may hold chunks the manifest does not know: drop them."""
        if self._store.count() == self._manifest.expected_chunks():
            return
        counts: dict[str, int] = {}
        for chunk in self._store.all_chunks():
            source = str(chunk.metadata.get("source", ""))
            counts[source] = counts.get(source, 0) + 1
        for source, have in counts.items():
            entry = self._manifest.files.get(source)
            if entry is None or int(entry.get("chunks", -1)) != have:
                self._store.delete_source(source)
                self._manifest.files.pop(source, None)
        for source in [s for s in self._manifest.files if s not in counts]:
            if int(self._manifest.files[source].get("chunks", 0)) > 0:
                del self._manifest.files[source]
        self._manifest.save()

    def _ingest_file(self, file: SourceFile, report: IngestReport) -> None:
        try:
            size = file.path.stat().st_size
            if size > self._settings.max_file_bytes:
                raise LoaderError(
                    f"file is {size:,} bytes; the limit is {self._settings.max_file_bytes:,}"
                )
            digest = _hash(file.path.read_bytes())
        except (OSError, LoaderError) as exc:
            report.failed.append((file.source, str(exc)))
            return
        previous = self._manifest.files.get(file.source)
        if previous is not None and previous.get("hash") == digest:
            report.skipped.append(file.source)
            return
        try:
            chunks = chunk_document(
                load_document(file.path),
                file.source,
                self._settings.chunk_size,
                self._settings.chunk_overlap,
            )
        except LoaderError as exc:
            report.failed.append((file.source, str(exc)))
            return
        report.flagged_chunks += self._mark_injection(chunks)
        self._store.delete_source(file.source)
        for start in range(0, len(chunks), 256):
            batch = chunks[start : start + 256]
            vectors = self._embedder().embed([c.context_text for c in batch])
            self._store.add(batch, vectors)
        self._manifest.files[file.source] = {
            "hash": digest,
            "chunks": len(chunks),
            "root": file.root.as_posix(),
            "path": os.fspath(file.path),
        }
        self._manifest.save()
        report.chunks_written += len(chunks)
        (report.updated if previous is not None else report.added).append(file.source)

    def _mark_injection(self, chunks: list[Chunk]) -> int:
        if self._flag is None:
            return 0
        flagged = 0
        for chunk in chunks:
            hit = bool(self._flag(chunk.text))
            chunk.metadata["injection_flag"] = hit
            flagged += hit
        return flagged
