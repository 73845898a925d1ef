"""A damaged `index.json` is an error that says how to repair it, never "no index" or a guess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.embeddings import SentenceTransformerEmbedder
from assistant.ingest import IngestError
from assistant.retrieval import IndexUnreadableError
from assistant.services import Services
from assistant.settings import Settings

DAMAGE = [
    ("not-json", b"{corrupt"),
    ("not-utf8", b"\xff\xfe\x00"),
    ("wrong-shape", b"[1, 2]"),
    ("missing-field", b'{"collection": "mes_knowledge"}'),
    ("bad-generation", b'{"collection": "x", "generation": "many"}'),
]


def _index(settings: Settings, embedder: SentenceTransformerEmbedder, folder: Path) -> Services:
    folder.mkdir()
    (folder / "gait.md").write_text("# Gait\n\n## Speed\n\nGait speed over ten metres predicts falls.\n")
    services = Services(settings, embedder=embedder)
    services.ingest([folder], rebuild=True)  # a rebuilt collection: not the base one
    assert services.search("gait speed", 1)
    return services


@pytest.mark.parametrize(("name", "damage"), DAMAGE, ids=[d[0] for d in DAMAGE])
def test_a_damaged_pointer_is_refused_by_readers_and_writers_and_a_rebuild_repairs_it(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path, name: str, damage: bytes
) -> None:
    folder = tmp_path / "kb"
    _index(settings, embedder, folder)
    (settings.data_dir / "index.json").write_bytes(damage)

    reader = Services(settings, embedder=embedder)
    with pytest.raises(IndexUnreadableError, match=r"index\.json is unreadable.*ingest --rebuild"):
        reader.search("gait speed", 1)
    with pytest.raises(IngestError, match="ingest --rebuild"):
        reader.ingest([folder])  # would otherwise write into the stale base collection
    with pytest.raises(IngestError, match="ingest --rebuild"):
        reader.remove([folder])

    Services(settings, embedder=embedder).ingest([folder], rebuild=True)
    assert Services(settings, embedder=embedder).search("gait speed", 1)[0].source == "kb/gait.md"


def test_the_api_answers_503_in_the_error_shape_with_the_repair(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    _index(settings, embedder, tmp_path / "kb")
    (settings.data_dir / "index.json").write_text("{corrupt")
    client = TestClient(create_app(settings, Services(settings, embedder=embedder)))
    for path in ("/healthz", "/v1/search?q=gait"):
        response = client.get(path)
        assert response.status_code == 503, response.text
        assert response.json()["error"]["code"] == "index_unavailable"
        assert "mes-ai ingest --rebuild" in response.json()["error"]["message"]


def test_the_cli_prints_one_error_line_and_exits_2(
    settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    _index(settings, embedder, tmp_path / "kb")
    (settings.data_dir / "index.json").write_text("{corrupt")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MES_")}
    env["MES_DATA_DIR"] = str(settings.data_dir)
    mes_ai = str(Path(sys.executable).parent / "mes-ai")
    for args in (["search", "gait"], ["ingest", str(tmp_path / "kb")]):
        done = subprocess.run([mes_ai, *args], capture_output=True, text=True, env=env,
                              cwd=tmp_path, timeout=300, check=False)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error:") and "ingest --rebuild" in done.stderr
        assert "Traceback" not in done.stderr + done.stdout
