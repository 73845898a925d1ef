"""A reader notices another writer's changes: one background refresh, old snapshot served meanwhile,
and only the files that changed are read again."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.retrieval import Retriever
from assistant.services import Services
from assistant.settings import Settings
from assistant.store import VectorStore


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for i, topic in enumerate(["chair stands", "gait speed", "grip strength", "stair climbing"]):
        (folder / f"doc{i}.md").write_text(f"# Doc {i}\n\n## Part\n\nNotes on {topic} for session {i}.")
    return folder


def _reader(settings: Settings, embedder: SentenceTransformerEmbedder) -> tuple[Retriever, list[str]]:
    """A retriever that checks the pointer on every request and counts its refreshes."""
    writer_side = Services(settings, embedder=embedder)
    opened: list[str] = []

    def opener(name: str) -> VectorStore:
        opened.append(name)
        return writer_side.store_opener(name)

    return Retriever(writer_side.index_files, opener, embedder, check_interval_s=0.0), opened


def _wait_idle(retriever: Retriever, generation: int) -> None:
    deadline = time.monotonic() + 60
    while retriever.refreshing or retriever.stats()["generation"] < generation:
        assert time.monotonic() < deadline, "the background refresh never finished"
        time.sleep(0.05)


def test_concurrent_searches_after_a_change_share_one_background_refresh(
    settings: Settings, embedder: SentenceTransformerEmbedder, corpus: Path
) -> None:
    writer = Services(settings, embedder=embedder)
    writer.ingest([corpus])
    reader, opened = _reader(settings, embedder)
    assert reader.search("gait speed", k=1)[0].source == "kb/doc1.md"
    assert len(opened) == 1

    (corpus / "doc4.md").write_text("# Doc 4\n\n## Part\n\nTandem stance held for thirty seconds.")
    writer.ingest([corpus])
    generation = writer.index_files.read().generation  # type: ignore[union-attr]
    errors: list[BaseException] = []

    def search() -> None:
        try:
            reader.search("tandem stance", k=1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _wait_idle(reader, generation)
    assert errors == []
    assert len(opened) == 2  # one refresh for the four requests
    assert reader.search("tandem stance", k=1)[0].source == "kb/doc4.md"


def test_a_refresh_reads_again_only_the_files_that_changed(
    settings: Settings, embedder: SentenceTransformerEmbedder, corpus: Path
) -> None:
    writer = Services(settings, embedder=embedder)
    writer.ingest([corpus])
    reader, _ = _reader(settings, embedder)
    reader.refresh()
    before = reader.snapshot().sources

    (corpus / "doc0.md").write_text("# Doc 0\n\n## Part\n\nSit-to-stand replaced by wall squats.")
    (corpus / "doc3.md").unlink()
    writer.ingest([corpus])
    reader.refresh()
    after = reader.snapshot().sources
    assert set(after) == {"kb/doc0.md", "kb/doc1.md", "kb/doc2.md"}
    assert after["kb/doc1.md"] is before["kb/doc1.md"] and after["kb/doc2.md"] is before["kb/doc2.md"]
    assert after["kb/doc0.md"] is not before["kb/doc0.md"]
    assert reader.search("wall squats", k=1)[0].source == "kb/doc0.md"
    assert all(r.source != "kb/doc3.md" for r in reader.search("stair climbing", k=3))


def test_after_a_rebuild_the_refresh_switches_collection_without_reading_the_chunks_again(
    settings: Settings, embedder: SentenceTransformerEmbedder, corpus: Path
) -> None:
    writer = Services(settings, embedder=embedder)
    writer.ingest([corpus])
    reader, opened = _reader(settings, embedder)
    reader.refresh()
    before = reader.snapshot().sources
    writer.ingest([corpus], rebuild=True)
    reader.refresh()
    snapshot = reader.snapshot()
    assert opened[-1] == snapshot.pointer.collection != opened[0]  # type: ignore[union-attr]
    assert all(snapshot.sources[s] is before[s] for s in before)
    assert reader.search("grip strength", k=1)[0].source == "kb/doc2.md"
