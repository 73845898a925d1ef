"""Ingest's windows: several files embedded together, written in order; a failure stops the run."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

import assistant.ingest
from assistant.embeddings import SentenceTransformerEmbedder, Vectors
from assistant.services import Services
from assistant.settings import Settings


class Recording:
    """The real embedder, remembering each batch it was given; fails on call `fail_on`."""

    def __init__(self, inner: SentenceTransformerEmbedder, fail_on: int = 0) -> None:
        self.inner = inner
        self.dimension = inner.dimension
        self.calls: list[list[str]] = []
        self.fail_on = fail_on

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        if len(self.calls) == self.fail_on:
            raise RuntimeError("encoder out of memory")
        return self.inner.embed(texts)

    def embed_query(self, text: str) -> Vectors:
        return self.inner.embed_query(text)


def _corpus(folder: Path, files: int) -> list[str]:
    """Files of four sections each, of different lengths; returns their sources in order."""
    folder.mkdir(parents=True)
    for i in range(files):
        body = "".join(
            f"## Part {j}\n\nDocument {i} part {j}: {'sit to stand ' * (1 + (i * 7 + j) % 9)}\n\n"
            for j in range(4)
        )
        (folder / f"doc{i:02d}.md").write_text(f"# Doc {i}\n\n{body}")
    return [f"{folder.name}/doc{i:02d}.md" for i in range(files)]


def _manifest(settings: Settings) -> dict[str, dict[str, object]]:
    data = json.loads(settings.manifest_path.read_text())
    assert not data["pending"]
    files: dict[str, dict[str, object]] = data["files"]
    return files


@pytest.fixture()
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assistant.ingest, "WINDOW_CHUNKS", 8)  # two files a window


def test_chunks_of_several_files_are_embedded_together_longest_first_and_written_in_order(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path, small_windows: None
) -> None:
    sources = _corpus(tmp_path / "corpus", 9)
    recording = Recording(embedder)
    services = Services(settings, embedder=recording)
    report = services.ingest([tmp_path / "corpus"])

    assert [len(call) for call in recording.calls] == [8, 8, 8, 8, 4]
    for call in recording.calls:
        assert [len(t) for t in call] == sorted((len(t) for t in call), reverse=True)
    assert report.added == sources and report.chunks_written == 36
    assert services.store.source_counts() == {s: 4 for s in sources}
    assert {s: e["chunks"] for s, e in _manifest(settings).items()} == {s: 4 for s in sources}
    hit = services.search("document 5 part 3 sit to stand", k=1)[0]
    assert hit.source == "corpus/doc05.md"


def test_a_window_that_fails_to_embed_stops_the_run_and_the_next_run_completes_the_index(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path, small_windows: None
) -> None:
    sources = _corpus(tmp_path / "corpus", 9)
    failing = Services(settings, embedder=Recording(embedder, fail_on=2))
    with pytest.raises(RuntimeError, match="encoder out of memory"):
        failing.ingest([tmp_path / "corpus"])

    # The window before the failure is indexed; nothing after it was written.
    assert _manifest(settings).keys() == set(sources[:2])
    assert failing.store.source_counts() == {s: 4 for s in sources[:2]}

    services = Services(settings, embedder=embedder)
    report = services.ingest([tmp_path / "corpus"])
    assert report.skipped == sources[:2] and report.added == sources[2:]
    assert services.store.source_counts() == {s: 4 for s in sources}
    assert services.store.count() == 36
