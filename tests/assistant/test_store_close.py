"""Retiring a replaced store never breaks the live one: dense search keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

import assistant.retrieval as retrieval
from assistant.embeddings import SentenceTransformerEmbedder
from assistant.services import Services
from assistant.settings import Settings


@pytest.mark.parametrize("rebuild", [False, True], ids=["update", "rebuild"])
def test_dense_search_survives_the_old_store_being_closed(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, rebuild: bool,
) -> None:
    monkeypatch.setattr(retrieval, "RETIRE_AFTER_S", 0.0)  # close replaced stores at once
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "gait.md").write_text("# Gait\n\n## Speed\n\nGait speed over ten metres predicts falls.\n")
    writer = Services(settings, embedder=embedder)
    writer.ingest([kb])
    reader = Services(settings, embedder=embedder)
    assert reader.search("walking pace", 1)  # no shared word: only the dense view finds it
    for i in range(3):
        (kb / f"other{i}.md").write_text(f"# Other {i}\n\n## Part\n\nQuokka balance drill {i}.\n")
        writer.ingest([kb], rebuild=rebuild)
        reader.retriever.refresh()  # swaps the snapshot and closes the previous store
        found = reader.search("walking pace", 1)
        assert found and found[0].source == "kb/gait.md", i
