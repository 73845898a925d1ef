"""Shared fixtures: real components, fresh folders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.services import Services
from assistant.settings import Settings

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"
GUARD_CACHE = REPO / ".mes-data" / "guard"
"""Where `make guard-model` trains the guard; its files are keyed by data, rails and embedder."""


def seed_guard_model(data_dir: Path) -> None:
    """Copy the guard model `make guard-model` trained into a test's data folder, so a session
    trains it at most once (a stale copy is ignored: the cache key no longer matches)."""
    if GUARD_CACHE.is_dir():
        shutil.copytree(GUARD_CACHE, data_dir / "guard", dirs_exist_ok=True)


def pytest_configure(config: pytest.Config) -> None:
    """Tests never see the caller's MES_ settings or an LLM key: everything runs offline."""
    import os

    for name in list(os.environ):
        if name.startswith("MES_") or name == "OPENAI_API_KEY":
            del os.environ[name]


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    """The real packaged MiniLM model, loaded once per test session."""
    return SentenceTransformerEmbedder()


@pytest.fixture()
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """Settings with a fresh data directory."""
    yield Settings(data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def knowledge_services(
    tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder
) -> Services:
    """A real index of the shipped knowledge base, built once per test session."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("knowledge-index"))
    seed_guard_model(settings.data_dir)
    services = Services(settings, embedder=embedder)
    report = services.ingest([settings.knowledge_dir])
    assert not report.failed, report.failed
    return services
