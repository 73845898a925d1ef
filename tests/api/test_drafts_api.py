"""Drafts and the tier gap over HTTP: JSON or a file, and 4xx errors that name the field."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.app import create_app
from assistant.settings import Settings
from tests.conftest import TEST_DATA


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    settings = Settings(data_dir=tmp_path_factory.mktemp("api"), max_request_bytes=200_000)
    return TestClient(create_app(settings))


def _case(name: str = "post-tkr") -> dict[str, object]:
    data: dict[str, object] = json.loads((TEST_DATA / "cases" / f"{name}.json").read_text())
    return data


def test_referral_letter_comes_back_as_json_with_title_and_markdown(client: TestClient) -> None:
    body = {"case": _case(), "options": {"letter_type": "progress-update"}}
    response = client.post("/v1/drafts/referral-letter", json=body)
    assert response.status_code == 200
    payload = response.json()
    assert set(payload) == {"kind", "title", "markdown", "missing_fields", "warnings"}
    assert "Dr. Patel" in payload["markdown"] and payload["missing_fields"] == []


@pytest.mark.parametrize(("fmt", "check"), [("docx", "docx"), ("pdf", "pdf")])
def test_format_query_returns_a_file_that_reopens(client: TestClient, fmt: str, check: str) -> None:
    response = client.post(f"/v1/drafts/progress-summary?format={fmt}", json={"case": _case()})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    if check == "docx":
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    else:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Maria Gomez" in text


@pytest.mark.parametrize(
    ("path", "body", "status", "needle"),
    [
        ("/v1/drafts/session-log", {"case": {"client": {"name": 5}}}, 422, "client.name"),
        ("/v1/drafts/session-log", {"nocase": 1}, 422, "case"),
        ("/v1/drafts/shopping-list", {"case": _case()}, 422, "shopping-list"),
        ("/v1/drafts/session-log?format=rtf", {"case": _case()}, 422, "format"),
        ("/v1/drafts/session-log", {"case": _case(), "options": {"session": 9}}, 422, "no session 9"),
        ("/v1/tiers/gap", {"supervised_assessments": -3}, 422, "supervised_assessments"),
    ],
)
def test_bad_requests_get_a_4xx_error_naming_the_problem(
    client: TestClient, path: str, body: dict[str, object], status: int, needle: str
) -> None:
    response = client.post(path, json=body)
    assert response.status_code == status
    assert needle in response.json()["error"]["message"]


def test_malformed_json_and_oversized_bodies_are_refused(client: TestClient) -> None:
    response = client.post(
        "/v1/tiers/gap", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"
    big = client.post("/v1/drafts/session-log", json={"case": {"notes": "x" * 300_000}})
    assert big.status_code == 413 and big.json()["error"]["code"] == "payload_too_large"


def test_a_chunked_body_without_content_length_is_capped_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"case": {"notes": "'
        for _ in range(30):
            yield b"x" * 10_000
        yield b'"}}'

    big = client.post("/v1/drafts/session-log", content=chunks(), headers={"content-type": "application/json"})
    assert big.status_code == 413
    small = client.post(
        "/v1/tiers/gap", content=iter([b'{"name": "Sam", ', b'"current_tier": "essential"}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 200 and small.json()["current_tier"] == "essential"


def test_tier_gap_lists_what_is_missing_for_the_next_tier(client: TestClient) -> None:
    profile = json.loads(Path(TEST_DATA / "profiles" / "essential-new.json").read_text())
    payload = client.post("/v1/tiers/gap", json=profile).json()
    assert payload["current_tier"] == "essential" and payload["next_tier"] == "intermediate"
    assert {m["requirement"] for m in payload["missing"]}
    assert all({"requirement", "have", "need"} <= set(m) for m in payload["missing"])
    assert payload["skills_missing"]


def test_tier_gap_over_http_uses_a_checklist_imported_into_the_data_dir(tmp_path: Path) -> None:
    from assistant.skills import import_skills, imported_skills_path

    settings = Settings(data_dir=tmp_path / "data")
    official = tmp_path / "official.csv"
    official.write_text("id,tier,name\nX01,essential,Only skill\n")
    import_skills(official, imported_skills_path(settings.data_dir))
    payload = TestClient(create_app(settings)).post("/v1/tiers/gap", json={"current_tier": "essential"}).json()
    assert [s["id"] for s in payload["skills_missing"]] == ["X01"]
