"""Read md, txt, html, pdf and docx files into plain text with a title and metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx"})


class LoaderError(Exception):
    """A file could not be read; the message says why."""


@dataclass
class LoadedDocument:
    """Text of one source file plus what we know about it."""

    text: str
    title: str
    markdown: bool
    metadata: dict[str, Any] = field(default_factory=dict)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body) for Markdown with an optional `---` YAML header."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end == -1:
        return {}, text
    try:
        meta = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise LoaderError(f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise LoaderError("front matter must be a mapping")
    body = text[end + 4 :].lstrip("\n")
    return meta, body


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def _read_text(raw: bytes) -> str:
    if b"\x00" in raw[:4096]:
        raise LoaderError("binary content in a text file")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _load_markdown(path: Path, raw: bytes) -> LoadedDocument:
    meta, body = split_front_matter(_read_text(raw))
    title = str(meta.get("title") or _first_heading(body) or path.stem.replace("-", " ").title())
    return LoadedDocument(body, title, True, meta)


def _load_text(path: Path, raw: bytes) -> LoadedDocument:
    text = _read_text(raw)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
    return LoadedDocument(text, first[:120], False)


def _load_html(path: Path, raw: bytes) -> LoadedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_text(raw), "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    title = soup.title.get_text(strip=True) if soup.title else ""
    lines: list[str] = []
    for node in soup.find_all(["h1", "h2", "h3", "p", "li", "td", "pre"]):
        text = node.get_text(" ", strip=True)
        if not text:
            continue
        level = {"h1": "# ", "h2": "## ", "h3": "### "}.get(node.name, "")
        lines.append(level + text)
    body = "\n\n".join(lines) or soup.get_text("\n", strip=True)
    return LoadedDocument(body, title or _first_heading(body) or path.stem, True)


def _load_pdf(path: Path, raw: bytes) -> LoadedDocument:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [page.extract_text() or "" for page in reader.pages]
        info_title = reader.metadata.title if reader.metadata else None
    except Exception as exc:  # a hostile file may break the parser in any way
        raise LoaderError(f"unreadable PDF: {exc}") from exc
    return LoadedDocument("\n\n".join(pages), str(info_title or path.stem), False)


def _load_docx(path: Path, raw: bytes) -> LoadedDocument:
    try:
        return _docx_text(path, raw)
    except Exception as exc:  # broken zip or XML: lxml, zipfile and python-docx all raise
        raise LoaderError(f"unreadable DOCX: {exc}") from exc


def _docx_text(path: Path, raw: bytes) -> LoadedDocument:
    import docx

    document = docx.Document(io.BytesIO(raw))
    lines: list[str] = []
    for para in document.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        if style.startswith("Heading") and style[-1:].isdigit():
            text = "#" * min(int(style[-1]), 3) + " " + text
        elif style == "Title":
            text = "# " + text
        lines.append(text)
    title = document.core_properties.title or _first_heading("\n".join(lines)) or path.stem
    return LoadedDocument("\n\n".join(lines), title, True)


def load_document(path: Path, data: bytes | None = None) -> LoadedDocument:
    """Load one file (or its already-read bytes); raises LoaderError with a readable reason."""
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes() if data is None else data
        match suffix:
            case ".md" | ".markdown":
                doc = _load_markdown(path, raw)
            case ".txt":
                doc = _load_text(path, raw)
            case ".html" | ".htm":
                doc = _load_html(path, raw)
            case ".pdf":
                doc = _load_pdf(path, raw)
            case ".docx":
                doc = _load_docx(path, raw)
            case _:
                raise LoaderError(f"unsupported file type {suffix or '(none)'}")
    except OSError as exc:
        raise LoaderError(f"cannot read file: {exc.strerror or exc}") from exc
    if not doc.text.strip():
        raise LoaderError("no text could be extracted")
    return doc
