"""ClientCase / PractitionerProfile validation: errors name the field and say what is wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.models import (
    CaseInputError,
    ClientCase,
    load_case,
    load_profile,
    parse_case,
    parse_profile,
)

CASES = Path(__file__).resolve().parents[1] / "data" / "cases"
BASE: dict[str, Any] = json.loads((CASES / "post-tkr.json").read_text())


def _with(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    node: Any = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


@pytest.mark.parametrize("case_file", sorted(CASES.glob("*.json")), ids=lambda p: p.stem)
def test_every_example_case_is_valid(case_file: Path) -> None:
    assert isinstance(load_case(case_file), ClientCase)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("client.sex", "female", "client.sex: Input should be 'F', 'M' or 'X'"),
        ("assessments.0.value", -3, "assessments[0].value: Input should be greater than or equal to 0"),
        ("sessions.0.duration_min", -10, "sessions[0].duration_min: Input should be greater than or equal to 1"),
        ("sessions.1.vitals.bp_pre", "128-82", "sessions[1].vitals.bp_pre: blood pressure must look like 128/82"),
        ("sessions.1.vitals.hr_pre", "fast", "sessions[1].vitals.hr_pre: Input should be a valid integer"),
        ("sessions.1.exercises.0.sets", "three", "sessions[1].exercises[0].sets: Input should be a valid integer"),
        ("limits.bp_max", "100/160", "limits.bp_max: blood pressure 100/160: diastolic must be lower"),
        ("icd10", "knee", "icd10: 'knee' is not an ICD-10 code"),
        ("sessions.3.date", "2099-01-01", "sessions[3].date: 2099-01-01 is in the future"),
        ("sessions.1.date", "2026-08-01", "sessions[1].date: 2026-08-01 is before the referral date"),
        ("sessions.2.date", "2026-08-25", "sessions[2].date: 2026-08-25 is out of order"),
        ("client.date_of_birth", "2099-03-14", "client.date_of_birth: 2099-03-14 is in the future"),
        ("sesions", [], "sesions: unknown field"),
    ],
)
def test_bad_case_data_gives_field_named_messages(path: str, value: Any, expected: str) -> None:
    with pytest.raises(CaseInputError) as err:
        parse_case(_with(path, value))
    assert any(message.startswith(expected) for message in err.value.errors), err.value.errors


def test_malformed_json_file_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text('{"client": {"name": "A",}}')
    with pytest.raises(CaseInputError) as err:
        load_case(bad)
    assert "malformed JSON at line 1" in err.value.errors[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"supervised_assessments": -1}, "supervised_assessments: Input should be greater than or equal to 0"),
        ({"current_tier": "expert"}, "current_tier: Input should be 'essential', 'intermediate' or 'advanced'"),
        ({"documented_sessions": "many"}, "documented_sessions: Input should be a valid integer"),
        ({"skils_completed": []}, "skils_completed: unknown field"),
    ],
)
def test_bad_profile_data_gives_field_named_messages(data: dict[str, Any], expected: str) -> None:
    with pytest.raises(CaseInputError) as err:
        parse_profile(data)
    assert any(message.startswith(expected) for message in err.value.errors), err.value.errors


def test_profile_normalizes_tier_and_skill_ids(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"current_tier": " Essential ", "skills_completed": ["e01", "E01 "]}))
    profile = load_profile(path)
    assert profile.current_tier == "essential"
    assert profile.skills_completed == ["E01"]
