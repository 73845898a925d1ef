"""With MES_CHROMA_URL set, ingest and search go to a real `chroma run` server on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.services import Services
from assistant.settings import Settings
from assistant.store import ChromaStore


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def chroma_url(tmp_path: Path) -> Iterator[str]:
    binary = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    port = _free_port()
    proc = subprocess.Popen(
        [binary, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail("chroma server did not start")
                time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.slow
def test_index_lives_in_the_chroma_server_when_a_url_is_set(
    chroma_url: str, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    corpus = tmp_path / "kb"
    corpus.mkdir()
    (corpus / "codes.md").write_text("# Codes\n\n## Balance\n\nCode 97112 is neuromuscular re-education.")
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_url)
    services = Services(settings, embedder=embedder)
    assert isinstance(services.store, ChromaStore)
    services.ingest([corpus])
    assert services.search("97112", k=1)[0].source == "kb/codes.md"
    assert not (tmp_path / "data" / "chroma").exists()

    fresh = ChromaStore.http(chroma_url, settings.collection)
    assert fresh.count() == 1


@pytest.mark.slow
def test_a_reader_keeps_answering_through_a_rebuild_on_the_chroma_server(
    chroma_url: str, tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    corpus = tmp_path / "kb"
    corpus.mkdir()
    (corpus / "codes.md").write_text("# Codes\n\n## Balance\n\nCode 97112 is neuromuscular re-education.")
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_url)
    writer, reader = Services(settings, embedder=embedder), Services(settings, embedder=embedder)
    writer.ingest([corpus])
    assert reader.search("97112", k=1)[0].source == "kb/codes.md"
    old = writer.index_files.read()

    (corpus / "grip.md").write_text("# Grip\n\n## Sarcopenia\n\nHandgrip below 16 kg suggests sarcopenia.")
    writer.ingest([corpus], rebuild=True)
    assert reader.search("97112", k=1)[0].source == "kb/codes.md"  # the old snapshot still answers
    reader.retriever.refresh()
    assert reader.search("handgrip sarcopenia", k=1)[0].source == "kb/grip.md"
    assert old is not None and old.collection in writer.store.collections()  # kept for readers

    writer.ingest([corpus], rebuild=True)
    assert old.collection not in writer.store.collections()  # the previous-but-one is dropped
    assert reader.search("97112", k=1)[0].source == "kb/codes.md"
