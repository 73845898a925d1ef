"""The largest ClientCases the models allow, in several shapes (bench/bench_render.py uses them).

Every shape fills the model's limits (list sizes, text lengths, the whole-case size) as far as
they go together, with mixed scripts (Latin, Arabic, CJK) so the PDF loads every font.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assistant.limits import (
    MAX_ASSESSMENTS,
    MAX_EXERCISES,
    MAX_GOALS,
    MAX_ITEMS,
    MAX_MODIFICATIONS,
    MAX_SESSIONS,
)
from assistant.models import CaseInputError, ClientCase, parse_case

WORDS = "Zoë Łukasz مريم 李小龍 climbed stairs holding the rail; knee felt steady "

SHAPES: dict[str, dict[str, int]] = {
    # every list at its limit, text as long as the whole-case limit then allows
    "longest lists": {"sessions": MAX_SESSIONS, "exercises": MAX_EXERCISES,
                      "assessments": MAX_ASSESSMENTS, "goals": MAX_GOALS, "items": MAX_ITEMS,
                      "modifications": MAX_MODIFICATIONS},
    # many table rows: every assessment a different measure
    "widest tables": {"sessions": 20, "exercises": MAX_EXERCISES,
                      "assessments": MAX_ASSESSMENTS, "goals": MAX_GOALS, "items": 5,
                      "modifications": 2},
    # few items with the longest notes
    "longest notes": {"sessions": 12, "exercises": 4, "assessments": 10, "goals": 10,
                      "items": 5, "modifications": 2},
}


def text(length: int) -> str:
    length = max(length, 1)
    return (WORDS * (length // len(WORDS) + 1))[:length].strip() or "x"


def build(shape: dict[str, int], length: int) -> dict[str, Any]:
    """One case of `shape` with notes of `length` characters (short fields up to 300)."""
    short = min(length, 300)
    start = dt.date(2026, 1, 5)
    exercise = {"name": text(short), "sets": 50, "reps": 1000, "load": text(short),
                "time": "10 min", "rpe": 9.5, "notes": text(length)}
    sessions = shape["sessions"]
    return {
        "client": {"name": "مريم 李小龍 Zoë Łukasz", "date_of_birth": "1950-01-01", "sex": "F"},
        "diagnosis": text(length), "icd10": "Z96.651",
        "conditions": [text(short)] * shape["items"], "consent_on_file": True,
        "referral": {"physician": "Dr. Alan Patel", "specialty": "orthopedic surgery",
                     "practice": text(short), "address": text(short), "date": "2026-01-02"},
        "precautions": [text(short)] * shape["items"],
        "limits": {"bp_max": "160/100", "hr_max": 130, "glucose_min": 90, "glucose_max": 250,
                   "spo2_min": 90},
        "goals": [{"text": text(length), "term": "long", "target_date": "2027-06-01",
                   "status": "in_progress"}] * shape["goals"],
        "assessments": [
            {"date": (start + dt.timedelta(days=i % 300)).isoformat(),
             "measure": f"{text(min(short, 60))} {i}", "value": 999_999.5 - i,
             "unit": "reps", "notes": text(length)}
            for i in range(shape["assessments"])
        ],
        "sessions": [
            {"date": (start + dt.timedelta(days=i)).isoformat(), "duration_min": 600,
             "vitals": {"bp_pre": "250/150", "hr_pre": 210, "bp_post": "255/155", "hr_post": 215,
                        "glucose_pre": 590, "glucose_post": 30, "spo2_pre": 71, "spo2_post": 70},
             "readiness": text(length), "rpe": 10,
             "exercises": [exercise] * shape["exercises"],
             "modifications": [{"change": text(length), "reason": text(length)}]
             * shape["modifications"],
             "client_report": "chest pain and numbness " + text(length),
             "observations": text(length), "plan": text(length)}
            for i in range(sessions)
        ],
        "home_program": [exercise] * min(shape["exercises"], MAX_EXERCISES),
        "practitioner": {"name": "Jordan Lee", "credentials": "MES", "practice": text(short),
                         "address": text(short), "phone": "555-0100", "email": "a@example.com"},
    }


def largest(shape: dict[str, int]) -> ClientCase:
    """The case of this shape with the longest notes the models accept (binary search)."""
    low, high, best = 1, 4000, None
    while low <= high:
        middle = (low + high) // 2
        try:
            best = parse_case(build(shape, middle))
            low = middle + 1
        except CaseInputError:
            high = middle - 1
    if best is None:
        shape = {**shape, "sessions": shape["sessions"] // 2, "exercises": shape["exercises"] // 2}
        return largest(shape)
    return best
