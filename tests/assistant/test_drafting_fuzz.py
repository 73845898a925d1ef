"""Fuzz: cases and profiles generated from the models' own JSON schema plus hostile values.

Every draft in every format either renders or is refused with a 422 (API) or an `error:` line
and exit code 2 (CLI); nothing is a 500 or a traceback. Example counts are bounded.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.app import create_app
from assistant.cli import app as cli
from assistant.drafting import FORMATS, KINDS
from assistant.models import ClientCase, PractitionerProfile
from assistant.settings import Settings

HOSTILE_TEXT = st.sampled_from([
    "", " ", "x" * 5000, "Maria\x00Gomez", "\x1b[31mred\x1b[0m", "tab\there", "line\nbreak",
    "مريم 李小龍 Zoë Łukasz", "🏃‍♀️💪🏽", "e\u0301\u0301\u0301", "| pipe | **bold** _x_ {{ jinja }}",
    "\u202eevil", "\ufeffbom", "\u0085nel", "a\u2028b", "ℌ𝔢𝔩𝔩𝔬", "Dr. " + "Ab" * 200,
])
HOSTILE_NUMBER = st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -1, 0, 10**30, 2.5, 1e-320])
HOSTILE_DATE = st.sampled_from(["1800-01-01", "2999-12-31", "1969-12-31", "2026-02-30", "yesterday",
                                "0001-01-01", "2026-11-30"])


ICD10 = st.sampled_from(["Z96.651", "M17.11", "E11.9", "I10", None])


def _deep(depth: int = 60) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = {"a": [value]}
    return value


HOSTILE = st.one_of(HOSTILE_TEXT, HOSTILE_NUMBER, HOSTILE_DATE, st.just(_deep()), st.none(),
                    st.just([]), st.just({}), st.booleans(), st.text(max_size=40))


def from_schema(
    schema: dict[str, Any], defs: dict[str, Any], depth: int = 0, hostile: bool = True
) -> st.SearchStrategy[Any]:
    """A strategy for values of one JSON-schema node; with `hostile`, hostile values are mixed
    in at every level."""
    if "$ref" in schema:
        return from_schema(defs[schema["$ref"].split("/")[-1]], defs, depth, hostile)
    if "anyOf" in schema:
        return st.one_of([from_schema(s, defs, depth, hostile) for s in schema["anyOf"]])
    if "enum" in schema:
        plain: st.SearchStrategy[Any] = st.sampled_from(schema["enum"])
    elif "const" in schema:
        plain = st.just(schema["const"])
    else:
        kind = schema.get("type")
        if kind == "object":
            props = schema.get("properties", {})
            required = set(schema.get("required", []))
            fields = {k: ICD10 if k == "icd10" else from_schema(v, defs, depth + 1, hostile)
                      for k, v in props.items()}
            plain = st.fixed_dictionaries(
                {k: v for k, v in fields.items() if k in required},
                optional={k: v for k, v in fields.items() if k not in required},
            )
        elif kind == "array":
            items = from_schema(schema.get("items", {}), defs, depth + 1, hostile)
            plain = st.lists(items, max_size=3 if depth else 6)
        elif kind == "string" and schema.get("format") == "date":
            plain = st.dates(dt.date(1940, 1, 1), dt.date(2026, 11, 30)).map(str)
        elif kind == "string":
            letters = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
            plain = st.text(letters, min_size=schema.get("minLength", 0),
                            max_size=min(schema.get("maxLength", 80), 80))
        elif kind == "integer":
            low, high = schema.get("minimum", -5), schema.get("maximum", 10_000)
            plain = st.integers(low, high)
        elif kind == "number":
            plain = st.floats(schema.get("minimum", -5), schema.get("maximum", 1e6),
                              allow_nan=False, allow_infinity=False)
        elif kind == "boolean":
            plain = st.booleans()
        else:
            plain = st.none()
    return st.one_of(plain, plain, plain, HOSTILE) if depth and hostile else plain


def _strategy(model: type[ClientCase] | type[PractitionerProfile]) -> st.SearchStrategy[Any]:
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    return st.one_of(from_schema(schema, defs, hostile=False), from_schema(schema, defs))


CASES = _strategy(ClientCase)
PROFILES = _strategy(PractitionerProfile)
FUZZ = settings(max_examples=30, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(Settings(data_dir=tmp_path_factory.mktemp("fuzz"))))


def _refused_properly(response: Any) -> bool:
    body = response.json()
    return set(body) == {"error"} and bool(body["error"]["message"])


@FUZZ
@given(case=CASES, kind=st.sampled_from(KINDS), fmt=st.sampled_from(FORMATS),
       extra=st.sampled_from([None, {}, {"colour": 1}, {"date": "2999-01-01"}, {"session": 0}]))
def test_api_drafts_render_or_refuse_with_422(client: TestClient, case: Any, kind: str, fmt: str,
                                              extra: dict[str, Any] | None) -> None:
    body: dict[str, Any] = {"case": case}
    if extra is not None:
        body["options"] = extra
    response = client.post(f"/v1/drafts/{kind}?format={fmt}", content=json.dumps(body),
                           headers={"content-type": "application/json"})
    assert response.status_code in (200, 413, 422), response.text[:300]
    if response.status_code != 200:
        assert _refused_properly(response)
    elif fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    elif fmt == "docx":
        assert response.content.startswith(b"PK")


@FUZZ
@given(profile=PROFILES)
def test_api_tier_gap_answers_or_refuses_with_422(client: TestClient, profile: Any) -> None:
    response = client.post("/v1/tiers/gap", content=json.dumps(profile),
                           headers={"content-type": "application/json"})
    assert response.status_code in (200, 422), response.text[:300]
    if response.status_code == 422:
        assert _refused_properly(response)


@settings(max_examples=12, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(case=CASES, kind=st.sampled_from(KINDS), fmt=st.sampled_from(FORMATS))
def test_cli_drafts_render_or_fail_with_one_error_line(tmp_path: Path, case: Any, kind: str,
                                                       fmt: str) -> None:
    source, target = tmp_path / "case.json", tmp_path / f"out.{fmt}"
    source.write_text(json.dumps(case))
    result = CliRunner().invoke(cli, ["draft", kind, "--case", str(source), "--format", fmt,
                                      "-o", str(target)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.output.lstrip().startswith("error:"), result.output
        assert "Traceback" not in result.output
    else:
        assert target.stat().st_size > 0
