"""The index generation pointer that several processes share.

`data_dir/index.json` names the live Chroma collection and a counter that every change
(add, update, delete, rebuild) bumps. It is replaced atomically, so a reader sees either the
old or the new pointer. Writers take `data_dir/index.lock` so two ingests never interleave.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from assistant import atomic
from assistant.locks import exclusive
from assistant.settings import Settings

Stamp = tuple[int, int, int] | None


class IndexPointerError(ValueError):
    """`index.json` exists but cannot be read; `mes-ai ingest --rebuild` repairs it."""


@dataclass(frozen=True)
class Pointer:
    """The live collection, the change counter, and the collection it replaced."""

    collection: str
    generation: int
    previous: str | None = None


class IndexFiles:
    """Where the pointer, the writer lock and each collection's manifest live."""

    def __init__(self, settings: Settings) -> None:
        self.data_dir = settings.data_dir
        self.base = settings.collection
        self.pointer_path = settings.data_dir / "index.json"
        self.lock_path = settings.data_dir / "index.lock"
        self.legacy_manifest = settings.manifest_path

    def manifest_path(self, collection: str) -> Path:
        """The manifest of one collection (the base collection keeps `manifest.json`)."""
        if collection == self.base:
            return self.legacy_manifest
        return self.data_dir / f"manifest-{collection}.json"

    def read(self) -> Pointer | None:
        """The live pointer; None when no index was ever built here (nothing is created).

        Raises IndexPointerError when the pointer exists but cannot be read: guessing a
        collection would serve (or write into) a stale one.
        """
        try:
            text = self.pointer_path.read_text("utf-8")
        except FileNotFoundError:
            if self.legacy_manifest.is_file():  # an index built before the pointer existed
                return Pointer(self.base, 0)
            return None
        except (OSError, ValueError) as exc:
            raise self._unreadable(exc) from exc
        try:
            data = json.loads(text)
            return Pointer(
                str(data["collection"]), int(data["generation"]), data.get("previous") or None
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise self._unreadable(exc) from exc

    def _unreadable(self, exc: Exception) -> IndexPointerError:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return IndexPointerError(
            f"{self.pointer_path} is unreadable ({type(exc).__name__}: {reason}); "
            "rebuild the index with `mes-ai ingest --rebuild`"
        )

    def write(self, pointer: Pointer) -> None:
        atomic.write_json(
            self.pointer_path,
            {
                "collection": pointer.collection,
                "generation": pointer.generation,
                "previous": pointer.previous,
            },
        )

    def stamp(self) -> Stamp:
        """Changes on every pointer write (atomic replace: new inode); cheap to poll."""
        for path in (self.pointer_path, self.legacy_manifest):
            try:
                st = path.stat()
            except OSError:
                continue
            return st.st_mtime_ns, st.st_ino, st.st_size
        return None

    def writer_lock(self) -> AbstractContextManager[None]:
        """One writer at a time across processes (the lock is released if the writer dies)."""
        return exclusive(self.lock_path)
