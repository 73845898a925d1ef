"""Uploaded documents belong to one tenant: searches see the shared framework plus their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.services import Services
from assistant.settings import Settings


@pytest.fixture()
def services(settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path) -> Services:
    shared, acme, globex = tmp_path / "kb", tmp_path / "up-acme", tmp_path / "up-globex"
    for folder in (shared, acme, globex):
        folder.mkdir()
    (shared / "tiers.md").write_text("# Tiers\n\n## Essential\n\nPerform 50–75 supervised assessments.")
    (acme / "protocol.md").write_text(
        "# Acme knee protocol\n\n## Week 1\n\nAcme clients start quadriceps sets after knee replacement."
    )
    (globex / "protocol.md").write_text(
        "# Globex knee protocol\n\n## Week 1\n\nGlobex clients begin heel slides after knee replacement."
    )
    services = Services(settings, embedder=embedder)
    services.ingest([shared])
    services.ingest([acme], tenant="acme")
    services.ingest([globex], tenant="globex")
    return services


@pytest.mark.parametrize(
    "query",
    ["Acme quadriceps sets", "knee replacement protocol week 1", "what do clients start after surgery"],
)
def test_a_tenant_never_sees_another_tenants_upload(services: Services, query: str) -> None:
    for tenant, other in (("acme", "up-globex"), ("globex", "up-acme")):
        sources = {r.source.split("/")[0] for r in services.search(query, k=10, tenant=tenant)}
        assert other not in sources
        assert f"up-{tenant}" in sources
    assert {r.source for r in services.search(query, k=10)} == {"kb/tiers.md"}


def test_shared_framework_is_found_by_every_tenant(services: Services) -> None:
    for tenant in ("acme", "globex", "nobody", None):
        assert services.search("50-75 supervised assessments", k=1, tenant=tenant)[0].source == "kb/tiers.md"


def test_removing_an_upload_drops_its_chunks_and_manifest_entry(
    services: Services, tmp_path: Path
) -> None:
    assert services.remove([tmp_path / "up-acme" / "protocol.md"]) == ["up-acme/protocol.md"]
    sources = {r.source for r in services.search("knee replacement", k=10, tenant="acme")}
    assert sources == {"kb/tiers.md"}
    assert "up-acme/protocol.md" not in services.store.source_counts()


def test_a_rebuild_keeps_uploads_that_still_exist(services: Services, tmp_path: Path) -> None:
    report = services.ingest([tmp_path / "kb"], rebuild=True)
    assert sorted(report.added) == ["kb/tiers.md", "up-acme/protocol.md", "up-globex/protocol.md"]
    assert services.search("heel slides", k=1, tenant="globex")[0].source == "up-globex/protocol.md"
    assert all(r.source != "up-globex/protocol.md" for r in services.search("heel slides", k=5, tenant="acme"))
