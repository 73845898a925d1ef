"""`/healthz` and `/v1/search` answer with JSON; bad requests get a 4xx error body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from assistant.services import Services


@pytest.fixture(scope="module")
def client(knowledge_services: Services) -> TestClient:
    return TestClient(create_app(knowledge_services.settings, knowledge_services))


def test_health_reports_documents_chunks_and_llm(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["documents"] >= 14 and body["chunks"] > body["documents"]
    assert body["llm"] is False


def test_search_returns_cited_passages(client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "supervised assessments before intermediate", "k": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert set(results[0]) >= {"text", "source", "title", "section", "score"}
    assert results[0]["source"].startswith("knowledge/")


@pytest.mark.parametrize(
    ("params", "code"),
    [({"q": ""}, "invalid_query"), ({"q": "gait", "k": 0}, "invalid_query"),
     ({"q": "gait", "k": "many"}, "invalid_request")],
)
def test_bad_search_requests_get_a_clear_error(client: TestClient, params: dict[str, object], code: str) -> None:
    response = client.get("/v1/search", params=params)
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
