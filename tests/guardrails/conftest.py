"""Guard fixtures: one real guard per session, its classifier trained once in a tmp dir."""

from __future__ import annotations

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.settings import Settings
from guardrails import ScopeGuard


@pytest.fixture(scope="session")
def guard_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("guard-data"))


@pytest.fixture(scope="session")
def guard(guard_settings: Settings, embedder: SentenceTransformerEmbedder) -> ScopeGuard:
    """The real guard on the packaged MiniLM; trains (and caches) its classifier once."""
    built = ScopeGuard(guard_settings, embedder)
    built.warm()
    return built
