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


@pytest.mark.parametrize(
    ("query", "position"),
    [("red\x00flags", "U+0000"), ("\x1b[31mred flags", "U+001B"), ("gait\x7f", "U+007F"),
     ("\x85gait", "U+0085")],
)
def test_a_query_with_control_characters_is_a_422_naming_q(client: TestClient, query: str, position: str) -> None:
    response = client.get("/v1/search", params={"q": query})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["message"].startswith("q: ") and position in error["message"]


def test_a_percent_encoded_nul_is_refused_too(client: TestClient) -> None:
    response = client.get("/v1/search?q=red%00flags&k=3")
    assert response.status_code == 422 and "U+0000" in response.json()["error"]["message"]


@pytest.mark.parametrize("query", ["red flags\nafter a fall", "مريم 李小龍 Zoë Łukasz gait", "\tgait speed"])
def test_a_query_with_line_breaks_or_other_scripts_is_searched(client: TestClient, query: str) -> None:
    assert client.get("/v1/search", params={"q": query}).status_code == 200


def test_unknown_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
