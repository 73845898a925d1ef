"""Draft options, the Draft result and the errors the service raises."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from assistant.limits import document_date_window
from assistant.models import ShortText, Text

Kind = Literal["session-log", "referral-letter", "progress-summary", "discharge-summary"]
LetterType = Literal[
    "introduction", "clearance-request", "progress-update", "thank-you", "practice-introduction"
]
KINDS: tuple[str, ...] = ("session-log", "referral-letter", "progress-summary", "discharge-summary")
LETTER_TYPES: tuple[str, ...] = (
    "introduction",
    "clearance-request",
    "progress-update",
    "thank-you",
    "practice-introduction",
)
Format = Literal["md", "docx", "pdf"]
FORMATS: tuple[str, ...] = ("md", "docx", "pdf")


class DraftError(ValueError):
    """A draft request that cannot be served; `errors` are "field: message" strings."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


class DraftOptions(BaseModel):
    """Per-document choices (the `options` object of POST /v1/drafts/{kind})."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    letter_type: LetterType = "introduction"
    to_specialty: ShortText | None = Field(None, description="Overrides case.referral.specialty.")
    to_physician: ShortText | None = Field(
        None,
        description="Addressee when not the referring physician; a letter to another specialty "
        "without it leaves a placeholder.",
    )
    session: int | dt.date | None = Field(
        None, description="Session-log: session number (1 = first) or date; latest by default."
    )
    discharge_reason: Text | None = Field(None, max_length=1000)
    reason: Text | None = Field(
        None,
        max_length=500,
        description="Clearance request: why clearance is asked now, e.g. 'before she starts "
        "resistance training'.",
    )
    date: dt.date | None = Field(
        None, description="Document date; today by default; from 1970 to a month ahead."
    )

    @field_validator("date")
    @classmethod
    def _date_window(cls, value: dt.date | None) -> dt.date | None:
        if value is None:
            return None
        first, last = document_date_window(dt.date.today())
        if not first <= value <= last:
            raise ValueError(
                f"{value.isoformat()} is outside the accepted range "
                f"{first.isoformat()} to {last.isoformat()}"
            )
        return value

    @field_validator("session", mode="before")
    @classmethod
    def _session(cls, value: object) -> object:
        """A positive session number, or an ISO date (YYYY-MM-DD)."""
        if value is None or isinstance(value, dt.date):
            return value
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= 10_000:
                raise ValueError("session number must be 1 to 10000 (1 = first session)")
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError("give a session number (1 = first) or a date as YYYY-MM-DD")


class Draft(BaseModel):
    """A drafted document. Only the first five fields are part of the JSON answer."""

    kind: str
    title: str
    markdown: str
    missing_fields: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    missing_labels: list[str] = Field(default_factory=list, exclude=True)
    """missing_fields in words for the practitioner ("your phone number"), in the same order."""
    letterhead: list[str] = Field(default_factory=list, exclude=True)
    body: str = Field("", exclude=True)
    one_page: bool = Field(False, exclude=True)
    sources: list[str] = Field(default_factory=list, exclude=True)
    derived: list[float | str] = Field(default_factory=list, exclude=True)

    def to_json(self) -> dict[str, Any]:
        """{"kind","title","markdown","missing_fields","warnings"}."""
        return self.model_dump(include={"kind", "title", "markdown", "missing_fields", "warnings"})
