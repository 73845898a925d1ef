"""Incremental ingest keyed on content hashes; safe to kill and run again.

Files are read once (regular files only), chunked, and embedded across files in windows of
length-sorted chunks. Each window is committed as: mark its sources pending in the manifest,
replace their chunks in the store, record them in the manifest, bump the index generation.
A run that dies anywhere leaves pending sources or chunk counts the manifest does not match;
the next run drops those chunks and indexes the files again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant import atomic
from assistant.chunking import Chunk, chunk_document
from assistant.embeddings import Embedder
from assistant.generation import IndexFiles, IndexPointerError, Pointer
from assistant.loaders import SUPPORTED_SUFFIXES, LoaderError, load_document
from assistant.settings import Settings
from assistant.store import StoreOpener

Progress = Callable[[int, int, str], None]
"""Called as (files done, files total, current source)."""

WINDOW_CHUNKS = 1024
"""Chunks embedded and committed together (bounds memory; a crash redoes at most one window)."""
_ADD_BATCH = 2000
_log = logging.getLogger(__name__)


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
    """One file to index: its resolved path, the folder it was found in, and its name."""

    path: Path
    root: Path
    source: str
    tenant: str = ""


@dataclass
class _Prepared:
    file: SourceFile
    digest: str
    previous: dict[str, Any] | None
    chunks: list[Chunk]


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "__")) for part in relative.parts)


def discover(
    paths: Iterable[Path], known: dict[str, str] | None = None, tenant: str = ""
) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Supported files under each path, and the ones that must be skipped with a reason.

    A source is named `<folder>/<path inside it>`; a file already indexed keeps its name.
    In a folder, symlinks to files outside it and anything that is not a regular file
    (FIFOs, devices, sockets) are reported, never opened.
    """
    known = known or {}
    found: dict[Path, SourceFile] = {}
    problems: list[tuple[str, str]] = []
    for given in paths:
        path = given.expanduser()
        if not os.path.lexists(path):
            raise IngestError(f"path not found: {given}")
        if path.is_dir():
            root = path.resolve()
            for folder, dirs, names in os.walk(root):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
                for name in sorted(names):
                    entry = Path(folder) / name
                    relative = entry.relative_to(root)
                    if _hidden(relative) or entry.suffix.lower() not in SUPPORTED_SUFFIXES:
                        continue
                    label = f"{root.name}/{relative.as_posix()}"
                    resolved = entry.resolve()
                    if entry.is_symlink() and not _within(resolved, root):
                        problems.append((label, "symlink to a file outside the folder: skipped"))
                        continue
                    reason = _not_regular(resolved)
                    if reason:
                        problems.append((label, reason))
                        continue
                    source = known.get(str(resolved)) or (
                        f"{root.name}/{resolved.relative_to(root).as_posix()}"
                    )
                    found.setdefault(resolved, SourceFile(resolved, root, source, tenant))
        else:
            resolved = path.resolve()
            root = resolved.parent
            source = known.get(str(resolved)) or f"{root.name}/{resolved.name}"
            reason = _not_regular(resolved)
            if reason:
                problems.append((source, reason))
                continue
            found[resolved] = SourceFile(resolved, root, source, tenant)
    return list(found.values()), problems


def _not_regular(path: Path) -> str | None:
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "special"
    return f"not a regular file ({kind}): skipped"


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, never blocking on a FIFO or device swapped in meanwhile."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise LoaderError("not a regular file: skipped")
        if info.st_size > limit:
            raise LoaderError(f"file is {info.st_size:,} bytes; the limit is {limit:,}")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise LoaderError(f"file is over the limit of {limit:,} bytes")
    return data


class Manifest:
    """Which source files are indexed, with their hash and chunk count (written atomically).

    `pending` lists the sources of a window being written: if the run dies, the next one
    drops their chunks and indexes them again.
    """

    def __init__(self, path: Path, config: str) -> None:
        self.path = path
        self.config = config
        self.files: dict[str, dict[str, Any]] = {}
        self.pending: dict[str, dict[str, Any]] = {}
        if path.exists():
            try:
                data = json.loads(path.read_text("utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                data = {}
            if isinstance(data, dict) and data.get("config") == config:
                self.files = dict(data.get("files", {}))
                self.pending = dict(data.get("pending", {}))

    def save(self) -> None:
        atomic.write_json(
            self.path, {"config": self.config, "files": self.files, "pending": self.pending}
        )

    def expected_chunks(self) -> int:
        return sum(int(entry.get("chunks", 0)) for entry in self.files.values())

    def by_path(self) -> dict[str, str]:
        return {str(e["path"]): s for s, e in self.files.items() if e.get("path")}


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_file(source: str, entry: dict[str, Any]) -> SourceFile | None:
    path = entry.get("path")
    if not path or not Path(path).is_file():
        return None
    root = Path(entry.get("root") or Path(path).parent)
    return SourceFile(Path(path), root, source, str(entry.get("tenant", "")))


class Ingestor:
    """Keeps one collection of the vector store in step with files, under the writer lock."""

    def __init__(
        self,
        settings: Settings,
        opener: StoreOpener,
        embedder: Callable[[], Embedder],
        flag_injection: Callable[[str], bool] | None = None,
    ) -> None:
        self._settings = settings
        self._opener = opener
        self._embedder = embedder
        self._flag = flag_injection
        self._files = IndexFiles(settings)
        model = settings.embedding_model
        self._config = f"{settings.chunk_size}/{settings.chunk_overlap}/{model}/v2"

    # -- entry points ---------------------------------------------------------------------

    def run(
        self,
        paths: Iterable[Path],
        rebuild: bool = False,
        progress: Progress | None = None,
        tenant: str | None = None,
    ) -> IngestReport:
        """Add new files, replace changed ones, and remove indexed files under the given
        folders that no longer exist. `rebuild` writes a new collection and then switches."""
        paths = list(paths)
        for given in paths:
            if not os.path.lexists(given.expanduser()):
                raise IngestError(f"path not found: {given}")
        with self._files.writer_lock():
            try:
                pointer = self._files.read()
            except IndexPointerError as exc:
                if not rebuild:
                    raise IngestError(str(exc)) from exc
                pointer = None  # a rebuild writes a new pointer: the repair
            if rebuild:
                return self._rebuild(paths, pointer, progress, tenant or "")
            name = pointer.collection if pointer else self._settings.collection
            self._pointer = pointer or Pointer(name, 0)
            self._store = self._opener(name)
            try:
                return self._update(paths, name, progress, tenant or "")
            finally:
                self._store.close()
                if pointer is None:
                    self._bump()

    def _update(
        self, paths: list[Path], name: str, progress: Progress | None, tenant: str
    ) -> IngestReport:
        self._manifest = Manifest(self._files.manifest_path(name), self._config)
        report = IngestReport()
        requeue = self._repair()
        files, problems = discover(paths, self._manifest.by_path(), tenant)
        report.failed.extend(problems)
        self._remove_deleted(paths, files, problems, report)
        have = {f.source for f in files}
        files += [f for f in requeue if f.source not in have]
        self._index(files, report, progress)
        return report

    def remove(self, paths: Iterable[Path]) -> list[str]:
        """Drop the given files (or everything indexed under given folders) from the index."""
        targets = [p.expanduser().resolve() for p in paths]
        with self._files.writer_lock():
            try:
                pointer = self._files.read()
            except IndexPointerError as exc:
                raise IngestError(str(exc)) from exc
            if pointer is None:
                return []
            self._pointer = pointer
            self._store = self._opener(pointer.collection)
            self._manifest = Manifest(self._files.manifest_path(pointer.collection), self._config)
            removed = []
            try:
                for source, entry in list(self._manifest.files.items()):
                    path = Path(str(entry.get("path", "")))
                    if any(_within(path, t) for t in targets):
                        self._store.delete_source(source)
                        del self._manifest.files[source]
                        removed.append(source)
            finally:
                self._store.close()
            if removed:
                self._manifest.save()
                self._bump()
            return removed

    # -- steps ----------------------------------------------------------------------------

    def _rebuild(
        self, paths: list[Path], old: Pointer | None, progress: Progress | None, tenant: str
    ) -> IngestReport:
        """Index into a new collection, switch the pointer, drop the one before the old one.
        Uploaded (tenant) documents that still exist are carried over."""
        generation = (old.generation if old else 0) + 1
        name = f"{self._settings.collection}-g{generation}-{secrets.token_hex(3)}"
        carried: list[SourceFile] = []
        if old is not None:
            previous = Manifest(self._files.manifest_path(old.collection), self._config)
            for source, entry in previous.files.items():
                file = _entry_file(source, entry)
                if file is not None and file.tenant:
                    carried.append(file)
        self._pointer = Pointer(old.collection if old else name, generation - 1)
        self._store = self._opener(name)
        try:
            self._store.reset()
            self._manifest = Manifest(self._files.manifest_path(name), self._config)
            self._manifest.files, self._manifest.pending = {}, {}
            report = IngestReport()
            files, problems = discover(paths, {}, tenant)
            report.failed.extend(problems)
            have = {f.source for f in files}
            files += [f for f in carried if f.source not in have]
            self._index(files, report, progress, switch=False)
            self._manifest.save()
            keep = {name, old.collection if old else name}
            self._files.write(Pointer(name, generation, old.collection if old else None))
            self._drop_unused(keep)
        finally:
            self._store.close()
        return report

    def _drop_unused(self, keep: set[str]) -> None:
        """Drop our collections other than the live one and the one it replaced (readers
        that have not refreshed yet may still hold that one)."""
        base = self._settings.collection
        try:
            names = self._store.collections()
        except Exception as exc:  # listing is housekeeping; the index itself is fine
            _log.warning("could not list collections: %s", exc)
            return
        for name in names:
            if name in keep or not (name == base or name.startswith(f"{base}-g")):
                continue
            self._store.drop(name)
            self._files.manifest_path(name).unlink(missing_ok=True)

    def _bump(self) -> None:
        """Tell readers the live collection changed."""
        p = self._pointer
        self._pointer = Pointer(p.collection, p.generation + 1, p.previous)
        self._files.write(self._pointer)

    def _repair(self) -> list[SourceFile]:
        """After a crash the store may hold chunks the manifest does not account for: drop
        them, and return the files to index again."""
        requeue: list[SourceFile] = []
        changed = False
        for source, info in list(self._manifest.pending.items()):
            self._store.delete_source(source)
            self._manifest.files.pop(source, None)
            file = _entry_file(source, info)
            if file is not None:
                requeue.append(file)
            changed = True
        self._manifest.pending = {}
        if self._store.count() != self._manifest.expected_chunks():
            counts = self._store.source_counts()
            for source in set(counts) | set(self._manifest.files):
                entry = self._manifest.files.get(source)
                if entry is not None and int(entry.get("chunks", -1)) == counts.get(source, 0):
                    continue
                if counts.get(source):
                    self._store.delete_source(source)
                if entry is not None:
                    del self._manifest.files[source]
                    file = _entry_file(source, entry)
                    if file is not None:
                        requeue.append(file)
            changed = True
        if changed:
            self._manifest.save()
            self._bump()
        return requeue

    def _remove_deleted(
        self,
        paths: list[Path],
        files: list[SourceFile],
        problems: list[tuple[str, str]],
        report: IngestReport,
    ) -> None:
        """Under each given folder, indexed files that are gone are removed; nothing else."""
        folders = [p.expanduser().resolve() for p in paths if p.expanduser().is_dir()]
        present = {str(f.path) for f in files}
        failed = {source for source, _ in problems}
        for source, entry in list(self._manifest.files.items()):
            path = Path(str(entry.get("path", "")))
            if not any(_within(path, folder) for folder in folders):
                continue
            if str(path) in present or source in failed or path.is_file():
                continue
            self._store.delete_source(source)
            del self._manifest.files[source]
            report.removed.append(source)
        if report.removed:
            self._manifest.save()
            self._bump()

    def _index(
        self,
        files: list[SourceFile],
        report: IngestReport,
        progress: Progress | None,
        switch: bool = True,
    ) -> None:
        window: list[_Prepared] = []
        size = 0
        for done, file in enumerate(files):
            if progress:
                progress(done, len(files), file.source)
            item = self._prepare(file, report)
            if item is None:
                continue
            window.append(item)
            size += len(item.chunks)
            if size >= WINDOW_CHUNKS:
                self._commit(window, report, switch)
                window, size = [], 0
        if window:
            self._commit(window, report, switch)
        if progress:
            progress(len(files), len(files), "")

    def _prepare(self, file: SourceFile, report: IngestReport) -> _Prepared | None:
        """Read, hash and chunk one file; None when it is unchanged or cannot be used."""
        try:
            data = read_regular(file.path, self._settings.max_file_bytes)
        except (OSError, LoaderError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            report.failed.append((file.source, reason))
            return None
        digest = _hash(data)
        previous = self._manifest.files.get(file.source)
        if (
            previous is not None
            and previous.get("hash") == digest
            and previous.get("tenant", "") == file.tenant
        ):
            report.skipped.append(file.source)
            return None
        try:
            chunks = chunk_document(
                load_document(file.path, data),
                file.source,
                self._settings.chunk_size,
                self._settings.chunk_overlap,
            )
        except LoaderError as exc:
            report.failed.append((file.source, str(exc)))
            return None
        except Exception as exc:  # one hostile file never stops the others
            report.failed.append((file.source, f"cannot index: {type(exc).__name__}: {exc}"))
            return None
        for chunk in chunks:
            chunk.metadata["tenant"] = file.tenant
        report.flagged_chunks += self._mark_injection(chunks)
        return _Prepared(file, digest, previous, chunks)

    def _commit(self, window: list[_Prepared], report: IngestReport, switch: bool) -> None:
        chunks = [c for item in window for c in item.chunks]
        vectors = self._embed_sorted([c.context_text for c in chunks])
        for item in window:
            f = item.file
            self._manifest.pending[f.source] = {
                "path": os.fspath(f.path), "root": f.root.as_posix(), "tenant": f.tenant
            }
        self._manifest.save()
        for item in window:
            if item.previous is not None:
                self._store.delete_source(item.file.source)
        for start in range(0, len(chunks), _ADD_BATCH):
            self._store.add(chunks[start : start + _ADD_BATCH], vectors[start : start + _ADD_BATCH])
        for item in window:
            f = item.file
            self._manifest.files[f.source] = {
                "hash": item.digest,
                "chunks": len(item.chunks),
                "root": f.root.as_posix(),
                "path": os.fspath(f.path),
                "tenant": f.tenant,
            }
            report.chunks_written += len(item.chunks)
            (report.updated if item.previous is not None else report.added).append(f.source)
        self._manifest.pending = {}
        self._manifest.save()
        if switch:
            self._bump()

    def _embed_sorted(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Embed in length order (batches of similar length pad less), then restore order."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        vectors = self._embedder().embed([texts[i] for i in order])
        restored = np.empty_like(vectors)
        restored[order] = vectors
        return restored

    def _mark_injection(self, chunks: list[Chunk]) -> int:
        if self._flag is None:
            return 0
        flagged = 0
        for chunk in chunks:
            hit = bool(self._flag(chunk.text))
            chunk.metadata["injection_flag"] = hit
            flagged += hit
        return flagged

