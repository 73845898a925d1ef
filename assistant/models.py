"""Input models: the client case a document is drafted from and a practitioner's profile."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

_BP = re.compile(r"^\s*(\d{2,3})\s*/\s*(\d{2,3})\s*$")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
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
    if not 50 <= systolic <= 300 or not 30 <= diastolic <= 200:
        raise ValueError(f"blood pressure {value} is outside 50-300 / 30-200 mmHg")
    if diastolic >= systolic:
        raise ValueError(f"blood pressure {value}: diastolic must be lower than systolic")
    return f"{systolic}/{diastolic}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Client(_Strict):
    name: ShortText
    date_of_birth: dt.date | None = None
    sex: Literal["F", "M", "X"] | None = None


class Referral(_Strict):
    physician: ShortText | None = None
    specialty: ShortText | None = None
    practice: ShortText | None = None
    address: ShortText | None = None
    date: dt.date | None = None


class Limits(_Strict):
    """Exercise limits set by the physician; they override the default thresholds."""

    bp_max: str | None = Field(None, description="Highest blood pressure, e.g. '160/100'.")
    hr_max: int | None = Field(None, ge=60, le=220, description="Heart-rate ceiling, bpm.")
    glucose_min: int | None = Field(None, ge=40, le=400, description="mg/dL")
    glucose_max: int | None = Field(None, ge=40, le=600, description="mg/dL")
    spo2_min: int | None = Field(None, ge=70, le=100, description="%")

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
    target_date: dt.date | None = None
    status: Literal["met", "in_progress", "not_met"] | None = None
    met_date: dt.date | None = None


class Assessment(_Strict):
    date: dt.date
    measure: ShortText
    value: float = Field(ge=0)
    unit: ShortText | None = None
    notes: Text | None = None


class Vitals(_Strict):
    bp_pre: str | None = None
    hr_pre: int | None = Field(None, ge=25, le=250)
    bp_post: str | None = None
    hr_post: int | None = Field(None, ge=25, le=250)
    glucose_pre: int | None = Field(None, ge=20, le=700, description="mg/dL")
    glucose_post: int | None = Field(None, ge=20, le=700, description="mg/dL")
    spo2_pre: int | None = Field(None, ge=50, le=100, description="%")
    spo2_post: int | None = Field(None, ge=50, le=100, description="%")

    @field_validator("bp_pre", "bp_post")
    @classmethod
    def _bp(cls, value: str | None) -> str | None:
        return _check_bp(value)


class Exercise(_Strict):
    name: ShortText
    sets: int | None = Field(None, ge=0, le=50)
    reps: int | None = Field(None, ge=0, le=1000)
    load: ShortText | None = None
    time: ShortText | None = Field(None, description="Duration as written, e.g. '10 min'.")
    rpe: float | None = Field(None, ge=0, le=10)
    notes: Text | None = None


class Modification(_Strict):
    change: Text
    reason: Text


class Session(_Strict):
    date: dt.date
    duration_min: int | None = Field(None, ge=1, le=600)
    vitals: Vitals = Field(default_factory=Vitals)
    readiness: Text | None = Field(None, description="Pre-session check-in as reported.")
    rpe: float | None = Field(None, ge=0, le=10)
    exercises: list[Exercise] = Field(default_factory=list)
    modifications: list[Modification] = Field(default_factory=list)
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
    icd10: str | None = None
    conditions: list[ShortText] = Field(default_factory=list)
    consent_on_file: bool | None = Field(
        None, description="Written permission to communicate with the client's physicians."
    )
    referral: Referral | None = None
    precautions: list[ShortText] = Field(default_factory=list)
    limits: Limits | None = None
    goals: list[Goal] = Field(default_factory=list)
    assessments: list[Assessment] = Field(default_factory=list)
    sessions: list[Session] = Field(default_factory=list)
    home_program: list[Exercise] = Field(default_factory=list)
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


class PractitionerProfile(_Strict):
    """A practitioner's counts and completed skills (design.md, "PractitionerProfile")."""

    name: ShortText | None = None
    current_tier: TierId | None = None
    months_in_practice: int = Field(0, ge=0, le=1200)
    supervised_assessments: int = Field(0, ge=0, le=100_000)
    chronic_clients_managed: int = Field(0, ge=0, le=100_000)
    documented_sessions: int = Field(0, ge=0, le=1_000_000)
    referral_partners: int = Field(0, ge=0, le=10_000)
    skills_completed: list[str] = Field(default_factory=list)

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
    lines: list[str] = []
    for err in exc.errors():
        path = ""
        for part in err["loc"]:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        message = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        elif err["type"] == "missing":
            message = "required field is missing"
        elif "input" in err and err["type"] not in {"value_error", "assertion_error"}:
            shown = json.dumps(err["input"], default=str)
            if len(shown) <= 60:
                message = f"{message} (got {shown})"
        if not path and ": " in message:
            lines.extend(part.strip() for part in message.split("\n") if part.strip())
            continue
        lines.append(f"{path}: {message}" if path else message)
    return lines


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseInputError([f"{path}: cannot read the file ({exc.strerror})"]) from exc
    try:
        return json.loads(text)
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
