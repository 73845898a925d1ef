"""One error shape and one status per kind of mistake, as /openapi.json documents them."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import docx
import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api.app import create_app
from assistant.settings import Settings
from tests.assistant.test_models import HOSTILE_NUMBERS, NUMERIC_FIELDS
from tests.conftest import TEST_DATA


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("errors"))))


def _case() -> dict[str, object]:
    data: dict[str, object] = json.loads((TEST_DATA / "cases" / "post-tkr.json").read_text())
    return data


def _error(response: object) -> dict[str, str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("k", ["0", "abc", "-1", "100000", "1.5"])
def test_an_invalid_search_parameter_is_always_a_422(client: TestClient, k: str) -> None:
    response = client.get("/v1/search", params={"q": "gait", "k": k})
    assert response.status_code == 422
    assert "k" in _error(response)["message"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("DELETE", "/healthz", "GET"), ("GET", "/v1/drafts/session-log", "POST"),
     ("PUT", "/v1/tiers/gap", "POST"), ("GET", "/v1/guard", "POST")],
)
def test_a_wrong_method_is_a_405_with_allow(client: TestClient, method: str, path: str, allowed: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert allowed in response.headers["allow"]
    assert _error(response)["code"] == "method_not_allowed"


def test_head_is_answered_for_get_routes_without_a_body(client: TestClient) -> None:
    head = client.head("/healthz")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get("/healthz").content)


@pytest.mark.parametrize(
    ("path", "body"),
    [("/v1/guard", {"text": "how do I log a session?", "colour": "red"}),
     ("/v1/tiers/gap", {"name": "Sam", "colour": "red"}),
     ("/v1/drafts/session-log", {"case": _case(), "colour": "red"}),
     ("/v1/drafts/session-log", {"case": _case(), "options": {"colour": "red"}})],
)
def test_every_request_body_refuses_unknown_fields(client: TestClient, path: str, body: dict[str, object]) -> None:
    response = client.post(path, json=body)
    assert response.status_code == 422
    assert "colour: unknown field" in _error(response)["message"]


def test_openapi_documents_the_error_shape_for_every_422(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error = schema["components"]["schemas"]["ErrorBody"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    documented = 0
    for path in schema["paths"].values():
        for operation in path.values():
            if "422" in operation["responses"]:
                ref = operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorBody"
                documented += 1
    assert documented >= 3
    bodies = {
        p: op["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
        for p, ops in schema["paths"].items() for op in ops.values()
        if "application/json" in op.get("requestBody", {}).get("content", {})
    }
    assert bodies["/v1/drafts/{kind}"].endswith("/DraftRequest")
    assert bodies["/v1/tiers/gap"].endswith("/PractitionerProfile")
    assert bodies["/v1/guard"].endswith("/GuardRequest")
    answers = {
        p: ops["post" if "post" in ops else "get"]["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        for p, ops in schema["paths"].items() if p in {"/healthz", "/v1/search", "/v1/guard", "/v1/drafts/{kind}", "/v1/tiers/gap"}
    }
    assert {p: a.rsplit("/", 1)[-1] for p, a in answers.items()} == {
        "/healthz": "HealthResponse", "/v1/search": "SearchResponse", "/v1/guard": "GuardResponse",
        "/v1/drafts/{kind}": "DraftResponse", "/v1/tiers/gap": "TierGap"}


RAW_CASE = json.dumps({"case": _case()})


@pytest.mark.parametrize(
    ("literal", "field"),
    [("1e309", "case.assessments[0].value"), ("Infinity", "case.assessments[0].value"),
     ("NaN", "case.assessments[0].value"), ("-Infinity", "case.assessments[0].value")],
)
def test_non_finite_numbers_are_a_422_naming_the_field(client: TestClient, literal: str, field: str) -> None:
    body = RAW_CASE.replace('"value": 7', f'"value": {literal}', 1)
    response = client.post("/v1/drafts/progress-summary?format=pdf", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert f"{field}: must be a finite number" in _error(response)["message"]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\u0085"])
@pytest.mark.parametrize("fmt", ["docx", "pdf", "md"])
def test_control_characters_in_text_are_a_422_in_every_format(client: TestClient, char: str, fmt: str) -> None:
    case = _case()
    case["diagnosis"] = f"Right knee{char} replacement"
    response = client.post(f"/v1/drafts/progress-summary?format={fmt}", json={"case": case})
    assert response.status_code == 422
    assert f"case.diagnosis: contains the control character U+{ord(char):04X}" in _error(response)["message"]


@pytest.mark.parametrize(
    ("change", "needle"),
    [({"options": {"date": "2999-01-01"}}, "options.date: 2999-01-01 is outside the accepted range 1970-01-01 to"),
     ({"client": {"name": "A", "date_of_birth": "1800-01-01"}}, "case.client.date_of_birth: 1800-01-01 is outside the plausible range 1900-01-01"),
     ({"limits": {"bp_max": "300/200"}}, "case.limits.bp_max: blood pressure 300/200 is outside the plausible range 60-260 / 30-160 mmHg")],
)
def test_implausible_dates_and_vitals_are_a_422_with_the_range(client: TestClient, change: dict[str, object], needle: str) -> None:
    case = _case()
    body: dict[str, object] = {"case": case}
    if "options" in change:
        body["options"] = change["options"]
    else:
        case.update(change)
    response = client.post("/v1/drafts/referral-letter", json=body)
    assert response.status_code == 422
    assert needle in _error(response)["message"]


def test_a_multilingual_name_comes_back_right_in_pdf_and_docx(client: TestClient) -> None:
    case = _case()
    case["client"] = {"name": "مريم 李小龍 Zoë Łukasz", "date_of_birth": "1958-03-14"}
    pdf = client.post("/v1/drafts/progress-summary?format=pdf", json={"case": case})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for word in ("مريم", "李小龍", "Zoë", "Łukasz"):
        assert word in text
    word_doc = client.post("/v1/drafts/progress-summary?format=docx", json={"case": case})
    paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(word_doc.content)).paragraphs)
    assert "مريم 李小龍 Zoë Łukasz" in paragraphs


@pytest.mark.parametrize(
    "body",
    [b'{"text": ', b"[" * 100_000 + b"]" * 100_000, b'{"case": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"],
    ids=["truncated", "nested-too-deep", "case-nested-too-deep"],
)
@pytest.mark.parametrize("path", ["/v1/guard", "/v1/drafts/session-log", "/v1/tiers/gap"])
def test_malformed_json_is_a_422_in_the_same_shape(client: TestClient, path: str, body: bytes) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert "malformed JSON" in _error(response)["message"]


@pytest.mark.parametrize("method", ["DELETE", "PUT", "POST", "OPTIONS"])
@pytest.mark.parametrize("path", ["/healthz", "/v1/search", "/openapi.json"])
def test_a_405_on_a_get_route_allows_head_too(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers["allow"].split(",")}
    assert {"GET", "HEAD"} <= allowed
    assert client.head(path).status_code != 405


def _raw_with(path: str, literal: str) -> str:
    """The case as a draft request body, with the JSON `literal` at `path` (a.0.b)."""
    case: Any = _case()
    *parents, last = path.split(".")
    node = case
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[int(last) if last.isdigit() else last] = "__NUMBER__"
    return json.dumps({"case": case}).replace('"__NUMBER__"', literal)


@pytest.mark.parametrize("path", NUMERIC_FIELDS)
@pytest.mark.parametrize(("literal", "expected"), [row[1:] for row in HOSTILE_NUMBERS], ids=[row[0] for row in HOSTILE_NUMBERS])
def test_every_numeric_case_field_refuses_nonsense_numbers_with_a_422(
    client: TestClient, path: str, literal: str, expected: str
) -> None:
    response = client.post("/v1/drafts/session-log", content=_raw_with(path, literal),
                           headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    message = _error(response)["message"]
    field = "case." + re.sub(r"\.(\d+)", r"[\1]", path)
    assert message.startswith(f"{field}: ") and re.search(expected, message), message


@pytest.mark.parametrize("field", ["supervised_assessments", "months_in_practice", "referral_partners"])
@pytest.mark.parametrize("literal", ["true", "NaN", "1e309", "2.5", '"12"', "-1"])
def test_every_profile_count_refuses_nonsense_numbers_with_a_422(client: TestClient, field: str, literal: str) -> None:
    response = client.post("/v1/tiers/gap", content=f'{{"{field}": {literal}}}',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert _error(response)["message"].startswith(f"{field}: ")


def test_an_integer_too_long_to_read_is_a_422_not_a_500(client: TestClient) -> None:
    for path, body in [("/v1/drafts/session-log", _raw_with("sessions.1.exercises.0.sets", "9" * 5000)),
                       ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "hi"}], "max_tokens": ' + "9" * 5000 + "}")]:
        response = client.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422, (path, response.text)
        assert "malformed JSON" in _error(response)["message"]


COMPLETION = '{"messages": [{"role": "user", "content": "hi"}], "%s": %s}'
BAD_SAMPLING = [  # field, JSON literal, message
    ("temperature", "Infinity", "temperature: must be a finite number"),
    ("temperature", "NaN", "temperature: must be a finite number"),
    ("temperature", "-Infinity", "temperature: must be a finite number"),
    ("temperature", "1e309", "temperature: must be a finite number"),
    ("temperature", "1e300", "temperature: Input should be less than or equal to 2"),
    ("temperature", "-0.1", "temperature: Input should be greater than or equal to 0"),
    ("temperature", "true", "temperature: must be a number, not a boolean (true)"),
    ("temperature", '"0.7"', "temperature: must be a number, not a string"),
    ("top_p", "1.5", "top_p: Input should be less than or equal to 1"),
    ("top_p", "NaN", "top_p: must be a finite number"),
    ("presence_penalty", "Infinity", "presence_penalty: must be a finite number"),
    ("frequency_penalty", "-3", "frequency_penalty: Input should be greater than or equal to -2"),
    ("max_tokens", "Infinity", "max_tokens: must be a finite number"),
    ("max_tokens", "0", "max_tokens: Input should be greater than or equal to 1"),
    ("max_tokens", "2.7", "max_tokens: must be a whole number, not 2.7"),
    ("max_tokens", "1" + "0" * 40, "max_tokens: Input should be less than or equal to 1000000"),
    ("max_tokens", "false", "max_tokens: must be a whole number, not a boolean (false)"),
    ("max_completion_tokens", "-5", "max_completion_tokens: Input should be greater than or equal to 1"),
    ("n", "NaN", "n: must be a finite number"),
    ("n", "0", "n: Input should be greater than or equal to 1"),
    ("seed", "1e30", "seed: Input should be less than or equal to"),
    ("top_logprobs", "21", "top_logprobs: Input should be less than or equal to 20"),
]


@pytest.mark.parametrize(("field", "literal", "message"), BAD_SAMPLING)
def test_completion_sampling_numbers_out_of_range_or_not_finite_are_a_422(
    client: TestClient, field: str, literal: str, message: str
) -> None:
    response = client.post("/v1/chat/completions", content=COMPLETION % (field, literal),
                           headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert message in _error(response)["message"]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x7f", "\u0085"])
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/chat", {"message": "log a session{c}"}, "message"),
        ("/v1/chat", {"message": "hi", "conversation_id": "ab{c}"}, "conversation_id"),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi{c}"}]}, "messages[0].content"),
        ("/v1/chat/completions",
         {"messages": [{"role": "system", "content": "be{c} brief"}, {"role": "user", "content": "hi"}]},
         "messages[0].content"),
        ("/v1/chat/completions",
         {"messages": [{"role": "user", "content": [{"type": "text", "text": "ok"}, {"type": "text", "text": "hi{c}"}]}]},
         "messages[0].content[1].text"),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi", "name": "a{c}"}]}, "messages[0].name"),
    ],
    ids=["chat", "chat-conversation-id", "completion", "completion-system", "completion-part", "completion-name"],
)
def test_control_characters_in_chat_and_completion_messages_are_a_422_naming_the_field(
    client: TestClient, char: str, path: str, body: dict[str, Any], field: str
) -> None:
    raw = json.dumps(body).replace("{c}", json.dumps(char)[1:-1])
    for accept in ("application/json", "text/event-stream"):
        response = client.post(path, content=raw, headers={"content-type": "application/json", "accept": accept})
        assert response.status_code == 422, response.text
        assert f"{field}: contains the control character U+{ord(char):04X}" in _error(response)["message"]
