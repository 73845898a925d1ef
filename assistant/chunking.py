"""Split loaded documents into chunks that carry their source, title and heading path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from assistant.loaders import LoadedDocument

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]


@dataclass
class Chunk:
    """One retrievable passage."""

    id: str
    text: str
    source: str
    title: str
    section: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def context_text(self) -> str:
        """What is embedded and indexed: the heading path gives a passage its subject."""
        heading = " > ".join(part for part in (self.title, self.section) if part)
        return f"{heading}\n{self.text}" if heading else self.text


def chunk_id(source: str, index: int) -> str:
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]
    return f"{digest}-{index:05d}"


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value]


def chunk_document(
    doc: LoadedDocument, source: str, chunk_size: int, chunk_overlap: int
) -> list[Chunk]:
    """Header-aware for Markdown, recursive otherwise; sections longer than chunk_size are split."""
    recursive = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=min(chunk_overlap, chunk_size // 2)
    )
    pieces: list[tuple[str, str]] = []
    if doc.markdown:
        splitter = MarkdownHeaderTextSplitter(headers_to_split_on=_HEADERS, strip_headers=True)
        for part in splitter.split_text(doc.text):
            headings = [part.metadata[key] for key in ("h2", "h3") if key in part.metadata]
            section = " > ".join(headings)
            for text in recursive.split_text(part.page_content):
                pieces.append((section, text))
    else:
        pieces = [("", text) for text in recursive.split_text(doc.text)]

    topic = str(doc.metadata.get("topic", ""))
    tiers = ",".join(_as_list(doc.metadata.get("tiers")))
    chunks: list[Chunk] = []
    for section, text in pieces:
        if not text.strip():
            continue
        index = len(chunks)
        chunks.append(
            Chunk(
                id=chunk_id(source, index),
                text=text.strip(),
                source=source,
                title=doc.title,
                section=section,
                metadata={"topic": topic, "tiers": tiers, "chunk_index": index},
            )
        )
    return chunks
