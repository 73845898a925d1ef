"""Chunks round-trip through Chroma as one packed record, and older collections still read."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np

from assistant.chunking import Chunk
from assistant.store import ChromaStore


def _vectors(n: int) -> np.ndarray:
    rng = np.random.default_rng(1)
    v = rng.standard_normal((n, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _chunk(i: int, tenant: str = "") -> Chunk:
    return Chunk(
        id=f"c-{i}",
        text=f"Step-ups to a 20 cm box, passage {i} \u2014 \u00e9l\u00e8ve \"quoted\"\n\nsecond line",
        source=f"kb/doc{i % 2}.md",
        title="Stairs",
        section="Progressions",
        metadata={"topic": "knee", "tiers": "essential", "chunk_index": i, "tenant": tenant,
                  "injection_flag": i == 2},
    )


def test_text_and_metadata_come_back_exactly_and_filters_still_work(tmp_path: Path) -> None:
    store = ChromaStore.persistent(tmp_path / "chroma", "kb-test")
    chunks = [_chunk(i, tenant="acme" if i == 3 else "") for i in range(4)]
    store.add(chunks, _vectors(4))

    got = {c.id: c for c in store.get(["c-2", "c-3"])}
    assert got["c-2"].text == chunks[2].text
    assert got["c-2"].metadata == {
        "source": "kb/doc0.md", "title": "Stairs", "section": "Progressions", "topic": "knee",
        "tiers": "essential", "chunk_index": 2, "tenant": "", "injection_flag": True,
    }
    assert got["c-3"].metadata["tenant"] == "acme"
    assert {c.id for c in store.chunks_of(["kb/doc1.md"])} == {"c-1", "c-3"}
    assert store.source_counts() == {"kb/doc0.md": 2, "kb/doc1.md": 2}
    assert sorted(c.id for c in store.all_chunks()) == ["c-0", "c-1", "c-2", "c-3"]
    hits = store.query(_vectors(4)[3], 4, where={"tenant": ""})
    assert "c-3" not in {i for i, _ in hits} and len(hits) == 3
    store.delete_source("kb/doc0.md")
    assert store.count() == 2


def test_nothing_is_written_to_chromas_unused_full_text_index(tmp_path: Path) -> None:
    store = ChromaStore.persistent(tmp_path / "chroma", "kb-test")
    store.add([_chunk(i) for i in range(3)], _vectors(3))
    with sqlite3.connect(tmp_path / "chroma" / "chroma.sqlite3") as db:
        (rows,) = db.execute("select count(*) from embedding_fulltext_search").fetchone()
    assert rows == 0


def test_a_collection_written_before_the_packed_record_still_reads(tmp_path: Path) -> None:
    store = ChromaStore.persistent(tmp_path / "chroma", "kb-test")
    store._collection.upsert(  # the layout of earlier versions: text as Chroma's document
        ids=["old-1"], embeddings=_vectors(1), documents=["Heel raises, two sets."],
        metadatas=[{"source": "kb/old.md", "title": "Calf", "section": "", "tenant": ""}],
    )
    (old,) = store.get(["old-1"])
    assert old.text == "Heel raises, two sets."
    assert old.metadata == {"source": "kb/old.md", "title": "Calf", "section": "", "tenant": ""}
    assert [c.text for c in store.all_chunks()] == ["Heel raises, two sets."]
