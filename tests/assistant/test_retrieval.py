"""Hybrid search finds exact figures and paraphrases, and refuses malformed requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.lexical import tokenize
from assistant.retrieval import SearchError
from assistant.services import Services
from assistant.settings import Settings

PASSAGES = {
    "billing.md": "# Billing\n\n## Codes\n\nTherapeutic exercise is billed under CPT 97110 when documented.",
    "neuro.md": "# Neuro\n\n## Codes\n\nNeuromuscular re-education for balance uses code 97112.",
    "tiers.md": "# Tiers\n\n## Essential\n\nPerform 50–75 supervised assessments before moving on.",
    "falls.md": "# Falls\n\n## Screening\n\nA slow sit-to-walk test of twelve seconds or more signals a risk of falling.",
}


@pytest.fixture()
def services(settings: Settings, embedder: SentenceTransformerEmbedder, tmp_path: Path) -> Services:
    corpus = tmp_path / "kb"
    corpus.mkdir()
    for name, text in PASSAGES.items():
        (corpus / name).write_text(text)
    services = Services(settings, embedder=embedder)
    services.ingest([corpus])
    return services


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("97112", "kb/neuro.md"),
        ("what is code 97110", "kb/billing.md"),
        ("50-75", "kb/tiers.md"),
        ("how likely is my older client to fall over", "kb/falls.md"),
    ],
)
def test_top_result_is_the_passage_that_answers(services: Services, query: str, expected: str) -> None:
    top = services.search(query, k=2)[0]
    assert top.source == expected
    assert top.title and top.section == top.section.strip()


def test_results_carry_source_title_section_and_descending_scores(services: Services) -> None:
    results = services.search("billing codes", k=4)
    assert len(results) == 4
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert {r.source for r in results} == {f"kb/{n}" for n in PASSAGES}


@pytest.mark.parametrize(
    ("query", "k", "message"),
    [("", 5, "empty"), ("   ", 5, "empty"), ("ok", 0, "between 1 and"), ("ok", 51, "between 1 and"),
     ("x" * 2001, 5, "longer than")],
)
def test_malformed_requests_get_a_clear_error(services: Services, query: str, k: int, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        services.search(query, k)


def test_new_documents_are_searchable_after_ingest_without_restart(
    services: Services, tmp_path: Path
) -> None:
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "cap.md").write_text("# Capacity\n\n## Sarcopenia\n\nGrip below 16 kg in women suggests probable sarcopenia.")
    services.search("warm up", k=1)
    services.ingest([extra])
    assert services.search("grip strength sarcopenia", k=1)[0].source == "more/cap.md"


def test_tokenizer_keeps_ranges_and_codes_whole_and_in_parts() -> None:
    assert {"50-75", "50", "75", "160/100", "97110"} <= set(tokenize("50–75 at 160/100 under 97110"))
