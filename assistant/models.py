"""Input models: the client case a document is drafted from and a practitioner's profile."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from assistant.limits import (
    BP_DIASTOLIC,
    BP_SYSTOLIC,
    EARLIEST_BIRTH,
    EARLIEST_RECORD,
    MAX_ASSESSMENTS,
    MAX_CASE_CHARS,
    MAX_EXERCISES,
    MAX_GOALS,
    MAX_INPUT_BYTES,
    MAX_ITEMS,
    MAX_MODIFICATIONS,
    MAX_SESSIONS,
    MAX_SKILLS,
    NUMBER,
    WHOLE,
    multi_line,
    range_check,
    schema_range,
    single_line,
)

_SUBPATH = re.compile(r"^[a-z_0-9]+(\[\d+\])?(\.[a-z_0-9]+(\[\d+\])?)*: ")
_BP = re.compile(r"^\s*(\d{2,3})\s*/\s*(\d{2,3})\s*$")

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=4000),
    AfterValidator(multi_line),
]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(single_line),
]
TierId = Literal["essential", "intermediate", "advanced"]


class CaseInputError(ValueError):
    """A case or profile that cannot be used; `errors` are "field.path: message" strings."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


def parse_bp(value: str) -> tuple[int, int]:
    """'128/82' -> (128, 82)."""
    match = _BP.match(value)
    if not match:
        raise ValueError("blood pressure must look like 128/82 (systolic/diastolic)")
    return int(match.group(1)), int(match.group(2))


def _check_bp(value: str | None) -> str | None:
    if value is None:
        return None
    systolic, diastolic = parse_bp(value)
    (s_low, s_high), (d_low, d_high) = BP_SYSTOLIC, BP_DIASTOLIC
    if not s_low <= systolic <= s_high or not d_low <= diastolic <= d_high:
        raise ValueError(
            f"blood pressure {value} is outside the plausible range "
            f"{s_low}-{s_high} / {d_low}-{d_high} mmHg"
        )
    if diastolic >= systolic:
        raise ValueError(f"blood pressure {value}: diastolic must be lower than systolic")
    return f"{systolic}/{diastolic}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


def _birth_date(value: dt.date) -> dt.date:
    today = dt.date.today()
    if not EARLIEST_BIRTH <= value <= today:
        raise ValueError(
            f"{value.isoformat()} is outside the plausible range "
            f"{EARLIEST_BIRTH.isoformat()} to today ({today.isoformat()})"
        )
    return value


def _record_date(value: dt.date) -> dt.date:
    """A date something happened: not before EARLIEST_RECORD (the future is checked per case)."""
    if value < EARLIEST_RECORD:
        raise ValueError(
            f"{value.isoformat()} is before {EARLIEST_RECORD.isoformat()}, "
            "the earliest date accepted"
        )
    return value


def _target_date(value: dt.date) -> dt.date:
    latest = dt.date.today().replace(month=1, day=1) + dt.timedelta(days=366 * 10)
    if not EARLIEST_RECORD <= value <= latest:
        raise ValueError(
            f"{value.isoformat()} is outside the plausible range "
            f"{EARLIEST_RECORD.isoformat()} to {latest.isoformat()}"
        )
    return value


BirthDate = Annotated[dt.date, AfterValidator(_birth_date)]
RecordDate = Annotated[dt.date, AfterValidator(_record_date)]
TargetDate = Annotated[dt.date, AfterValidator(_target_date)]


class Client(_Strict):
    name: ShortText
    date_of_birth: BirthDate | None = None
    sex: Literal["F", "M", "X"] | None = None


class Referral(_Strict):
    physician: ShortText | None = None
    specialty: ShortText | None = None
    practice: ShortText | None = None
    address: ShortText | None = None
    date: RecordDate | None = None


Whole = Annotated[int, WHOLE]
HeartRate = Annotated[Whole, range_check("heart rate", 30, 220, "bpm"), schema_range(30, 220)]
HeartRateCeiling = Annotated[
    Whole, range_check("heart-rate ceiling", 60, 220, "bpm"), schema_range(60, 220)
]
Glucose = Annotated[Whole, range_check("blood glucose", 20, 600, "mg/dL"), schema_range(20, 600)]
GlucoseLimit = Annotated[
    Whole, range_check("glucose limit", 40, 600, "mg/dL"), schema_range(40, 600)
]
SpO2 = Annotated[Whole, range_check("SpO2", 70, 100, "%"), schema_range(70, 100)]


class Limits(_Strict):
    """Exercise limits set by the physician; they override the default thresholds."""

    bp_max: str | None = Field(
        None, max_length=20, description="Highest blood pressure, e.g. '160/100'."
    )
    hr_max: HeartRateCeiling | None = Field(
        None, description="Heart-rate ceiling, bpm."
    )
    glucose_min: GlucoseLimit | None = Field(None, description="mg/dL")
    glucose_max: GlucoseLimit | None = Field(None, description="mg/dL")
    spo2_min: SpO2 | None = Field(None, description="%")

    @field_validator("bp_max")
    @classmethod
    def _bp(cls, value: str | None) -> str | None:
        return _check_bp(value)

    @model_validator(mode="after")
    def _glucose_order(self) -> Limits:
        low, high = self.glucose_min, self.glucose_max
        if low is not None and high is not None and low >= high:
            raise ValueError("glucose_min must be lower than glucose_max")
        return self


class Goal(_Strict):
    text: Text
    term: Literal["short", "long"] = "short"
    target_date: TargetDate | None = None
    status: Literal["met", "in_progress", "not_met"] | None = None
    met_date: RecordDate | None = None


class Assessment(_Strict):
    date: RecordDate
    measure: ShortText
    value: Annotated[float, Field(ge=0, le=1_000_000), NUMBER] = Field(
        description="A finite number."
    )
    unit: ShortText | None = None
    notes: Text | None = None


class Vitals(_Strict):
    bp_pre: str | None = Field(None, max_length=20)
    hr_pre: HeartRate | None = None
    bp_post: str | None = Field(None, max_length=20)
    hr_post: HeartRate | None = None
    glucose_pre: Glucose | None = Field(None, description="mg/dL")
    glucose_post: Glucose | None = Field(None, description="mg/dL")
    spo2_pre: SpO2 | None = Field(None, description="%")
    spo2_post: SpO2 | None = Field(None, description="%")

    @field_validator("bp_pre", "bp_post")
    @classmethod
    def _bp(cls, value: str | None) -> str | None:
        return _check_bp(value)


class Exercise(_Strict):
    name: ShortText
    sets: Annotated[int, Field(ge=1, le=50), WHOLE] | None = None
    reps: Annotated[int, Field(ge=1, le=1000), WHOLE] | None = None
    load: ShortText | None = None
    time: ShortText | None = Field(None, description="Duration as written, e.g. '10 min'.")
    rpe: Annotated[float, Field(ge=0, le=10), NUMBER] | None = None
    notes: Text | None = None


class Modification(_Strict):
    change: Text
    reason: Text


class Session(_Strict):
    date: RecordDate
    duration_min: Annotated[int, Field(ge=1, le=600), WHOLE] | None = None
    vitals: Vitals = Field(default_factory=Vitals)
    readiness: Text | None = Field(None, description="Pre-session check-in as reported.")
    rpe: Annotated[float, Field(ge=0, le=10), NUMBER] | None = None
    exercises: list[Exercise] = Field(default_factory=list, max_length=MAX_EXERCISES)
    modifications: list[Modification] = Field(default_factory=list, max_length=MAX_MODIFICATIONS)
    client_report: Text | None = None
    observations: Text | None = None
    plan: Text | None = None


class Practitioner(_Strict):
    name: ShortText
    credentials: ShortText | None = None
    practice: ShortText | None = None
    address: ShortText | None = None
    phone: ShortText | None = None
    email: ShortText | None = None


class ClientCase(_Strict):
    """Everything a document is drafted from (design.md, "ClientCase")."""

    client: Client | None = None
    diagnosis: Text | None = None
    icd10: str | None = Field(None, max_length=20)
    conditions: list[ShortText] = Field(default_factory=list, max_length=MAX_ITEMS)
    consent_on_file: bool | None = Field(
        None, description="Written permission to communicate with the client's physicians."
    )
    referral: Referral | None = None
    precautions: list[ShortText] = Field(default_factory=list, max_length=MAX_ITEMS)
    limits: Limits | None = None
    goals: list[Goal] = Field(default_factory=list, max_length=MAX_GOALS)
    assessments: list[Assessment] = Field(default_factory=list, max_length=MAX_ASSESSMENTS)
    sessions: list[Session] = Field(default_factory=list, max_length=MAX_SESSIONS)
    home_program: list[Exercise] = Field(default_factory=list, max_length=MAX_EXERCISES)
    practitioner: Practitioner | None = None

    @field_validator("icd10")
    @classmethod
    def _icd10(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]\d{2}(\.[0-9A-Z]{1,4})?", code):
            raise ValueError(f"'{value}' is not an ICD-10 code (e.g. Z96.651)")
        return code

    @model_validator(mode="after")
    def _dates(self) -> ClientCase:
        size = len(self.model_dump_json(exclude_none=True))
        if size > MAX_CASE_CHARS:
            raise ValueError(
                f"the case is {size:,} characters as JSON; the limit is {MAX_CASE_CHARS:,} "
                "(shorten the notes or draft from a shorter period)"
            )
        problems = _date_problems(self, dt.date.today())
        if problems:
            raise ValueError("\n".join(problems))
        return self


def _date_problems(case: ClientCase, today: dt.date) -> list[str]:
    """Dates in the future, before birth, before the referral, or sessions out of order."""
    problems: list[str] = []
    dated: list[tuple[str, dt.date]] = []
    if case.referral and case.referral.date:
        dated.append(("referral.date", case.referral.date))
    dated += [(f"assessments[{i}].date", a.date) for i, a in enumerate(case.assessments)]
    dated += [(f"sessions[{i}].date", s.date) for i, s in enumerate(case.sessions)]
    dated += [(f"goals[{i}].met_date", g.met_date) for i, g in enumerate(case.goals) if g.met_date]
    for path, when in dated:
        if when > today:
            problems.append(f"{path}: {when.isoformat()} is in the future")
    birth = case.client.date_of_birth if case.client else None
    if birth:
        if birth > today:
            problems.append(f"client.date_of_birth: {birth.isoformat()} is in the future")
        for path, when in dated:
            if when < birth:
                problems.append(f"{path}: {when.isoformat()} is before the date of birth")
    if case.referral and case.referral.date:
        start = case.referral.date
        for i, s in enumerate(case.sessions):
            if s.date < start:
                problems.append(
                    f"sessions[{i}].date: {s.date.isoformat()} is before the referral "
                    f"date {start.isoformat()}"
                )
    for i in range(1, len(case.sessions)):
        before, now = case.sessions[i - 1].date, case.sessions[i].date
        if now < before:
            problems.append(
                f"sessions[{i}].date: {now.isoformat()} is out of order "
                f"(sessions[{i - 1}] is {before.isoformat()}); list sessions oldest first"
            )
    return problems


SkillId = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=20), AfterValidator(single_line)
]


class PractitionerProfile(_Strict):
    """A practitioner's counts and completed skills (design.md, "PractitionerProfile")."""

    name: ShortText | None = None
    current_tier: TierId | None = None
    months_in_practice: Annotated[int, Field(ge=0, le=1200), WHOLE] = 0
    supervised_assessments: Annotated[int, Field(ge=0, le=100_000), WHOLE] = 0
    chronic_clients_managed: Annotated[int, Field(ge=0, le=100_000), WHOLE] = 0
    documented_sessions: Annotated[int, Field(ge=0, le=1_000_000), WHOLE] = 0
    referral_partners: Annotated[int, Field(ge=0, le=10_000), WHOLE] = 0
    skills_completed: list[SkillId] = Field(default_factory=list, max_length=MAX_SKILLS)

    @field_validator("current_tier", mode="before")
    @classmethod
    def _tier_lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("skills_completed")
    @classmethod
    def _skill_ids(cls, value: list[str]) -> list[str]:
        seen: dict[str, None] = {}
        for item in value:
            seen.setdefault(item.strip().upper(), None)
        return [s for s in seen if s]


def validation_messages(exc: ValidationError) -> list[str]:
    """A pydantic error as "field.path: message" lines (the message says what is wrong)."""
    return error_lines(exc.errors())


def _shown(value: object) -> str:
    """The JSON of a refused input ('' for an int too long to print)."""
    try:
        return json.dumps(value, default=str)
    except ValueError:
        return ""


def error_lines(
    errors: Sequence[ErrorDetails | dict[str, Any]], skip: tuple[str, ...] = ()
) -> list[str]:
    """Pydantic error details as "field.path: message" lines; `skip` drops leading loc parts.

    A model-level check may report several "sub.path: message" lines in one error; each becomes
    its own line under the model's path.
    """
    lines: list[str] = []
    for err in errors:
        path = ""
        for part in err["loc"]:
            if not path and part in skip:
                continue
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "finite_number":
            message = "must be a finite number (Infinity, NaN and overflowing values are refused)"
        elif err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        elif err["type"] == "missing":
            message = "required field is missing"
        elif err["type"] == "too_long" and isinstance(err.get("input"), str):
            limit = (err.get("ctx") or {}).get("max_length")  # "items" said of a text
            message = f"at most {limit:,} characters, not {len(err['input']):,}"
        elif "input" in err and err["type"] not in {"value_error", "assertion_error"}:
            shown = _shown(err["input"])
            if shown and len(shown) <= 60:
                message = f"{message} (got {shown})"
        if err["type"] == "value_error" and _SUBPATH.match(message):
            for part in (p.strip() for p in message.split("\n")):
                if part:
                    lines.append(f"{path}.{part}" if path else part)
            continue
        lines.append(f"{path}: {message}" if path else message)
    return lines


def _load_json(path: Path) -> Any:
    if path.is_dir():
        raise CaseInputError([f"{path}: is a folder, not a JSON file"])
    if path.exists() and not path.is_file():
        raise CaseInputError([f"{path}: not a regular file"])
    try:
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise CaseInputError([f"{path}: {size:,} bytes is larger than {MAX_INPUT_BYTES:,}"])
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseInputError([f"{path}: cannot read the file ({exc.strerror or exc})"]) from exc
    except UnicodeDecodeError as exc:
        raise CaseInputError(
            [f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8"]
        ) from exc
    try:
        return json.loads(text)
    except RecursionError as exc:
        raise CaseInputError([f"{path.name}: JSON nested too deeply"]) from exc
    except json.JSONDecodeError as exc:
        raise CaseInputError(
            [f"{path.name}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc


def parse_case(data: Any) -> ClientCase:
    """Validate case data; raises CaseInputError with field-named messages."""
    try:
        return ClientCase.model_validate(data)
    except ValidationError as exc:
        raise CaseInputError(validation_messages(exc)) from exc


def parse_profile(data: Any) -> PractitionerProfile:
    """Validate profile data; raises CaseInputError with field-named messages."""
    try:
        return PractitionerProfile.model_validate(data)
    except ValidationError as exc:
        raise CaseInputError(validation_messages(exc)) from exc


def load_case(path: Path) -> ClientCase:
    """Read and validate a ClientCase JSON file."""
    return parse_case(_load_json(path))


def load_profile(path: Path) -> PractitionerProfile:
    """Read and validate a PractitionerProfile JSON file."""
    return parse_profile(_load_json(path))
