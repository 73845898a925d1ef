"""Guard fixtures: one real guard per session; its model is trained once and shared.

The model is cached by a hash of its training data and the embedder, so the copy kept in
SHARED_CACHE (the folder `make ingest` / `mes-ai guard --warm` trains into) is reused when it
matches and ignored when the data changed; a freshly trained model is copied back there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.settings import Settings
from guardrails import ScopeGuard

SHARED_CACHE = Path(__file__).resolve().parents[2] / ".mes-data" / "guard"


@pytest.fixture(scope="session")
def guard_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("guard-data")
    if SHARED_CACHE.is_dir():
        shutil.copytree(SHARED_CACHE, data_dir / "guard", dirs_exist_ok=True)
    return Settings(data_dir=data_dir)


@pytest.fixture(scope="session")
def guard(guard_settings: Settings, embedder: SentenceTransformerEmbedder) -> ScopeGuard:
    """The real guard on the packaged MiniLM; its model is loaded from the cache or trained once."""
    built = ScopeGuard(guard_settings, embedder)
    if built.warm():
        try:
            SHARED_CACHE.mkdir(parents=True, exist_ok=True)
            for stale in SHARED_CACHE.glob("model-*"):
                stale.unlink()
            for path in (guard_settings.data_dir / "guard").glob("model-*"):
                shutil.copy2(path, SHARED_CACHE / path.name)
        except OSError:
            pass  # the shared cache is a convenience only
    return built
