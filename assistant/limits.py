"""Input limits shared by the models: list sizes, plausible ranges, text without control characters.

The list sizes keep the slowest draft the models allow well under 2 s in every format
(bench/bench_render.py prints it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from pydantic import AfterValidator, BeforeValidator, Field

MAX_INPUT_BYTES = 2_000_000
MAX_CASE_CHARS = 100_000  # the whole case as JSON: months of detailed session notes
MAX_SESSIONS = 200
MAX_ASSESSMENTS = 300
MAX_GOALS = 30
MAX_EXERCISES = 40
MAX_MODIFICATIONS = 20
MAX_ITEMS = 30
MAX_SKILLS = 200

EARLIEST_BIRTH = dt.date(1900, 1, 1)
EARLIEST_RECORD = dt.date(1970, 1, 1)
DOCUMENT_DATE_DAYS_AHEAD = 31

BP_SYSTOLIC = (60, 260)
BP_DIASTOLIC = (30, 160)

# C0 controls, DEL, C1 controls, lone surrogates and the two XML non-characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LAYOUT = {"\n", "\t", "\r"}


def _control_problem(value: str, allowed: set[str]) -> str | None:
    for match in _CONTROL.finditer(value):
        if match.group() not in allowed:
            return (
                f"contains the control character U+{ord(match.group()):04X} at position "
                f"{match.start()}; remove it"
            )
    return None


def single_line(value: str) -> str:
    """Text on one line: no control characters at all (tabs and newlines included)."""
    problem = _control_problem(value, set())
    if problem:
        raise ValueError(problem)
    return value


def multi_line(value: str) -> str:
    """Text that may span lines: newline, carriage return and tab allowed, other controls not."""
    problem = _control_problem(value, _LAYOUT)
    if problem:
        raise ValueError(problem)
    return value


def _kind(value: object) -> str:
    """How a JSON value that is not a number is named in an error."""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, float):
        return repr(value)
    return {list: "a list", dict: "an object", type(None): "null"}.get(type(value), "that")


def _number(value: object) -> object:
    """A JSON number (a bool or a string is not one); an int too large for a float is refused."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"must be a number, not {_kind(value)}")
    try:
        return float(value)
    except OverflowError:
        raise ValueError("must be a finite number, not one this large") from None


def _whole(value: object) -> object:
    """A whole JSON number: an int, or a float without a fraction (7.0)."""
    if isinstance(value, float) and math.isfinite(value):
        if value.is_integer():
            return int(value)
    elif not isinstance(value, bool) and isinstance(value, int | float):
        return value  # an int, or a non-finite float pydantic refuses
    raise ValueError(f"must be a whole number, not {_kind(value)}")


NUMBER = BeforeValidator(_number)
"""Before a float field: refuses a bool, a string or an int too large for a float."""
WHOLE = BeforeValidator(_whole)
"""Before an int field: refuses a bool, a string or a fraction (2.7 is not cut to 2)."""


def range_check(what: str, low: int, high: int, unit: str) -> AfterValidator:
    """A validator refusing values outside [low, high], naming the range and the unit."""

    def check(value: int) -> int:
        if not low <= value <= high:
            said = f"{what} {value} {unit} is" if abs(value) < 10**9 else f"{what} is far"
            raise ValueError(f"{said} outside the plausible range {low}-{high} {unit}")
        return value

    return AfterValidator(check)


def schema_range(low: int, high: int) -> Any:
    """Documents the range in the JSON schema (the validator enforces it)."""
    return Field(json_schema_extra={"minimum": low, "maximum": high})


def document_date_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Dates a document may carry: from EARLIEST_RECORD to a month ahead."""
    return EARLIEST_RECORD, today + dt.timedelta(days=DOCUMENT_DATE_DAYS_AHEAD)
