"""ClientCase / PractitionerProfile validation: errors name the field and say what is wrong."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
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


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if part.isdigit() else data[part]
    return data


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
        ("sessions.1.vitals.hr_pre", "fast", "sessions[1].vitals.hr_pre: must be a whole number, not a string"),
        ("sessions.1.exercises.0.sets", "three", "sessions[1].exercises[0].sets: must be a whole number, not a string"),
        ("limits.bp_max", "100/160", "limits.bp_max: blood pressure 100/160: diastolic must be lower"),
        ("icd10", "knee", "icd10: 'knee' is not an ICD-10 code"),
        ("sessions.3.date", "2099-01-01", "sessions[3].date: 2099-01-01 is in the future"),
        ("sessions.1.date", "2026-08-01", "sessions[1].date: 2026-08-01 is before the referral date"),
        ("sessions.2.date", "2026-08-25", "sessions[2].date: 2026-08-25 is out of order"),
        ("client.date_of_birth", "2099-03-14", "client.date_of_birth: 2099-03-14 is outside the plausible range 1900-01-01 to today"),
        ("sesions", [], "sesions: unknown field"),
    ],
)
def test_bad_case_data_gives_field_named_messages(path: str, value: Any, expected: str) -> None:
    with pytest.raises(CaseInputError) as err:
        parse_case(_with(path, value))
    assert any(message.startswith(expected) for message in err.value.errors), err.value.errors


TODAY = dt.date.today().isoformat()
FINITE = "must be a finite number"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        # row 5: non-finite numbers
        ("assessments.0.value", float("inf"), f"assessments[0].value: {FINITE}"),
        ("assessments.0.value", float("nan"), f"assessments[0].value: {FINITE}"),
        ("assessments.0.value", 10**400, "assessments[0].value:"),
        ("sessions.0.rpe", float("-inf"), f"sessions[0].rpe: {FINITE}"),
        ("sessions.0.vitals.hr_pre", float("inf"), "sessions[0].vitals.hr_pre:"),
        # row 6: control characters, named by field and code point
        ("client.name", "Maria\x00Gomez", "client.name: contains the control character U+0000"),
        ("diagnosis", "knee\x1b[31m", "diagnosis: contains the control character U+001B"),
        ("precautions.0", "no\tkneeling", "precautions[0]: contains the control character U+0009"),
        ("sessions.0.plan", "a\ud800b", "sessions[0].plan: Input should be a valid string"),
        ("practitioner.email", "x\x7f@y", "practitioner.email: contains the control character U+007F"),
        # row 14: implausible dates and vitals, with the range in the message
        ("client.date_of_birth", "1800-01-01", "client.date_of_birth: 1800-01-01 is outside the plausible range 1900-01-01 to today"),
        ("sessions.0.vitals.bp_pre", "300/200", "sessions[0].vitals.bp_pre: blood pressure 300/200 is outside the plausible range 60-260 / 30-160 mmHg"),
        ("limits.bp_max", "250/170", "limits.bp_max: blood pressure 250/170 is outside the plausible range"),
        ("sessions.0.vitals.hr_pre", 300, "sessions[0].vitals.hr_pre: heart rate 300 bpm is outside the plausible range 30-220 bpm"),
        ("sessions.0.vitals.glucose_pre", 900, "sessions[0].vitals.glucose_pre: blood glucose 900 mg/dL is outside the plausible range 20-600 mg/dL"),
        ("sessions.0.vitals.spo2_post", 40, "sessions[0].vitals.spo2_post: SpO2 40 % is outside the plausible range 70-100 %"),
        ("limits.hr_max", 20, "limits.hr_max: heart-rate ceiling 20 bpm is outside the plausible range 60-220 bpm"),
        ("referral.date", "1900-01-01", "referral.date: 1900-01-01 is before 1970-01-01"),
        ("goals.0.target_date", "2999-01-01", "goals[0].target_date: 2999-01-01 is outside the plausible range"),
        # row 8: list sizes are bounded
        ("assessments", [{"date": "2026-08-20", "measure": f"m{i}", "value": 1} for i in range(301)], "assessments: List should have at most 300 items"),
        ("sessions.0.exercises", [{"name": "x"}] * 41, "sessions[0].exercises: List should have at most 40 items"),
    ],
)
def test_hostile_and_implausible_values_are_refused_naming_the_field(path: str, value: Any, expected: str) -> None:
    with pytest.raises(CaseInputError) as err:
        parse_case(_with(path, value))
    assert any(message.startswith(expected) for message in err.value.errors), err.value.errors


NUMERIC_FIELDS = [
    "limits.hr_max", "limits.glucose_min", "limits.glucose_max", "limits.spo2_min",
    "assessments.0.value", "sessions.1.duration_min", "sessions.1.rpe",
    "sessions.1.vitals.hr_pre", "sessions.1.vitals.hr_post", "sessions.1.vitals.glucose_pre",
    "sessions.1.vitals.glucose_post", "sessions.1.vitals.spo2_pre", "sessions.1.vitals.spo2_post",
    "sessions.1.exercises.0.sets", "sessions.1.exercises.0.reps", "sessions.1.exercises.0.rpe",
    "home_program.0.sets", "home_program.0.reps",
]
NOT_A_NUMBER = "must be a (whole )?number, not "
OUT_OF_RANGE = "outside the plausible range|Input should be (greater|less) than"
FINITE_ONLY = "must be a finite number"
HOSTILE_NUMBERS: list[tuple[str, str, str]] = [  # id, JSON literal, expected message
    ("true", "true", NOT_A_NUMBER + r"a boolean \(true\)"),
    ("false", "false", NOT_A_NUMBER + r"a boolean \(false\)"),
    ("NaN", "NaN", FINITE_ONLY),
    ("Infinity", "Infinity", FINITE_ONLY),
    ("-Infinity", "-Infinity", FINITE_ONLY),
    ("1e309", "1e309", FINITE_ONLY),
    ("huge-int", "1" + "0" * 400, f"{OUT_OF_RANGE}|{FINITE_ONLY}"),
    ("1e300", "1e300", OUT_OF_RANGE),
    ("negative", "-5", OUT_OF_RANGE),
    ("numeric-string", '"72"', NOT_A_NUMBER + "a string"),
    ("string", '"fast"', NOT_A_NUMBER + "a string"),
    ("list", "[72]", NOT_A_NUMBER + "a list"),
    ("object", '{"v": 72}', NOT_A_NUMBER + "an object"),
]


@pytest.mark.parametrize("path", NUMERIC_FIELDS)
@pytest.mark.parametrize(("literal", "expected"), [row[1:] for row in HOSTILE_NUMBERS], ids=[row[0] for row in HOSTILE_NUMBERS])
def test_every_numeric_case_field_refuses_bools_non_finite_huge_negative_and_strings(
    tmp_path: Path, path: str, literal: str, expected: str
) -> None:
    marker = "__NUMBER__"
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(_with(path, marker)).replace(f'"{marker}"', literal))
    with pytest.raises(CaseInputError) as err:
        load_case(case_file)
    field = re.sub(r"\.(\d+)", r"[\1]", path)
    assert len(err.value.errors) == 1, err.value.errors
    assert err.value.errors[0].startswith(f"{field}: "), err.value.errors
    assert re.search(expected, err.value.errors[0]), err.value.errors


@pytest.mark.parametrize(("path", "value"), [
    ("sessions.1.exercises.0.sets", 0), ("sessions.1.exercises.0.reps", 0),
    ("home_program.0.sets", 0), ("sessions.1.duration_min", 0),
])
def test_counts_start_at_one(path: str, value: int) -> None:
    with pytest.raises(CaseInputError, match="greater than or equal to 1"):
        parse_case(_with(path, value))


@pytest.mark.parametrize(("path", "value", "read_as"), [
    ("sessions.1.vitals.hr_pre", 72.0, 72),
    ("sessions.1.exercises.0.sets", 3.0, 3),
    ("sessions.1.rpe", 6, 6.0),
])
def test_whole_floats_and_ints_are_still_numbers(path: str, value: float, read_as: float) -> None:
    case = parse_case(_with(path, value)).model_dump()
    assert _get(case, path) == read_as and type(_get(case, path)) is type(read_as)


def test_fractional_counts_are_refused_not_cut() -> None:
    with pytest.raises(CaseInputError, match=r"sets: must be a whole number, not 2\.7"):
        parse_case(_with("sessions.1.exercises.0.sets", 2.7))


@pytest.mark.parametrize("field", [
    "months_in_practice", "supervised_assessments", "chronic_clients_managed",
    "documented_sessions", "referral_partners",
])
@pytest.mark.parametrize("value", [True, "12", 1.5, float("nan"), 10**400, -1])
def test_every_profile_count_refuses_non_numbers(field: str, value: Any) -> None:
    with pytest.raises(CaseInputError, match=f"^{field}: "):
        parse_profile({field: value})


@pytest.mark.parametrize("field", ["observations", "client_report", "plan"])
def test_multi_line_notes_keep_newlines_and_tabs(field: str) -> None:
    case = parse_case(_with(f"sessions.0.{field}", "line one\n\tline two\r\nthree"))
    assert getattr(case.sessions[0], field) == "line one\n\tline two\r\nthree"


def test_json_overflow_and_infinity_literals_are_refused(tmp_path: Path) -> None:
    for literal in ("1e309", "Infinity", "NaN", "-Infinity"):
        text = json.dumps(BASE).replace('"value": 7', f'"value": {literal}', 1)
        path = tmp_path / "case.json"
        path.write_text(text)
        with pytest.raises(CaseInputError) as err:
            load_case(path)
        assert err.value.errors == [f"assessments[0].value: {FINITE} (Infinity, NaN and overflowing values are refused)"]


def test_a_non_utf8_or_non_regular_case_file_is_a_clear_error(tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"client": {"name": "Zoë"}}'.encode("latin-1"))
    with pytest.raises(CaseInputError, match="not UTF-8 text"):
        load_case(latin)
    with pytest.raises(CaseInputError, match="is a folder"):
        load_case(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CaseInputError, match="nested too deeply"):
        load_case(deep)


def test_profile_skill_ids_and_list_length_are_bounded() -> None:
    with pytest.raises(CaseInputError, match="skills_completed: List should have at most 200"):
        parse_profile({"skills_completed": [f"E{i}" for i in range(201)]})
    with pytest.raises(CaseInputError, match=r"skills_completed\[0\]: contains the control character"):
        parse_profile({"skills_completed": ["E01\x00"]})


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
        ({"documented_sessions": "many"}, "documented_sessions: must be a whole number, not a string"),
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
