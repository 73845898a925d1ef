"""Documents a tenant's admin uploads: checked, saved under data_dir/uploads/<tenant>/<id>/,
indexed for that tenant only, listed and deleted.

A file is accepted only with an allowed extension whose content matches it (PDF magic, a
DOCX zip, UTF-8 text), within the size limit, under a sanitised file name.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from pydantic import BaseModel

from assistant.atomic import write_bytes, write_json
from assistant.ingest import IngestReport

ALLOWED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
TEXT_TYPES = (".md", ".markdown", ".txt", ".html", ".htm")
META = "meta.json"
_ID = re.compile(r"^[0-9a-f]{32}$")
_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")

Ingest = Callable[[Iterable[Path], str], IngestReport]
Remove = Callable[[Iterable[Path]], object]


class UploadError(ValueError):
    """An upload that is refused; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class DocumentInfo(BaseModel):
    """An uploaded document as the API lists it."""

    id: str
    filename: str
    size: int
    chunks: int
    uploaded_at: dt.datetime


def safe_filename(name: str) -> str:
    """Only the last path part, ASCII letters, digits, '.', '_' and '-', at most 100 chars."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:90] or "document"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext).lower()[:8]
    return f"{stem}.{ext}" if ext else stem


def _check_content(ext: str, data: bytes) -> None:
    if ext == ".pdf" and not data.startswith(b"%PDF-"):
        raise UploadError(415, "unsupported_type", "the file is not a PDF")
    if ext == ".docx" and not data.startswith(b"PK\x03\x04"):
        raise UploadError(415, "unsupported_type", "the file is not a DOCX document")
    if ext in TEXT_TYPES:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadError(415, "unsupported_type", "text files must be UTF-8") from exc
        if "\x00" in text:
            raise UploadError(415, "unsupported_type", "text files may not contain NUL bytes")


class Uploads:
    """Uploaded documents per tenant, kept in sync with the index."""

    def __init__(self, root: Path, max_bytes: int, ingest: Ingest, remove: Remove) -> None:
        self.root, self.max_bytes = root, max_bytes
        self._ingest, self._remove = ingest, remove

    def _tenant_dir(self, tenant: str) -> Path:
        if not _TENANT.match(tenant):
            raise UploadError(422, "invalid_tenant", "bad tenant id")
        return self.root / tenant

    def add(self, tenant: str, filename: str, data: bytes) -> DocumentInfo:
        """Check, save and index one file for `tenant`."""
        name = safe_filename(filename or "")
        ext = PurePosixPath(name).suffix.lower()
        if ext not in ALLOWED:
            allowed = ", ".join(ALLOWED)
            raise UploadError(415, "unsupported_type", f"allowed file types: {allowed}")
        if not data:
            raise UploadError(422, "empty_file", "the file is empty")
        if len(data) > self.max_bytes:
            limit = f"files are limited to {self.max_bytes:,} bytes"
            raise UploadError(413, "payload_too_large", limit)
        _check_content(ext, data)
        doc_id = uuid.uuid4().hex
        folder = self._tenant_dir(tenant) / doc_id
        path = folder / name
        write_bytes(path, data)
        try:
            report = self._ingest([path], tenant)
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if report.failed:
            self._remove([path])
            shutil.rmtree(folder, ignore_errors=True)
            reason = f"the document could not be read: {report.failed[0][1]}"
            raise UploadError(422, "unreadable_document", reason)
        info = DocumentInfo(
            id=doc_id,
            filename=name,
            size=len(data),
            chunks=report.chunks_written,
            uploaded_at=dt.datetime.now(dt.UTC),
        )
        write_json(folder / META, info.model_dump(mode="json"))
        return info

    def list(self, tenant: str) -> list[DocumentInfo]:
        """The tenant's documents, newest first."""
        base = self._tenant_dir(tenant)
        found = []
        for meta in base.glob(f"*/{META}") if base.is_dir() else []:
            try:
                found.append(DocumentInfo.model_validate(json.loads(meta.read_text("utf-8"))))
            except (OSError, ValueError):
                continue
        return sorted(found, key=lambda d: d.uploaded_at, reverse=True)

    def delete(self, tenant: str, doc_id: str) -> bool:
        """Remove a document from the index and the disk; False when the tenant has no such id."""
        if not _ID.match(doc_id):
            return False
        folder = self._tenant_dir(tenant) / doc_id
        if not (folder / META).is_file():
            return False
        self._remove([p for p in folder.iterdir() if p.name != META and p.is_file()])
        shutil.rmtree(folder, ignore_errors=True)
        return True
