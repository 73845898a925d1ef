"""The design.md example case, as data each test may change before drafting from it."""

from __future__ import annotations

import copy
from typing import Any

from assistant.drafting import Draft, DraftOptions, draft
from assistant.models import parse_case

TODAY = "2026-11-23"

DESIGN_CASE: dict[str, Any] = {
    "client": {"name": "Maria Gomez", "date_of_birth": "1958-03-14", "sex": "F"},
    "diagnosis": "Right total knee replacement", "icd10": "Z96.651",
    "referral": {"physician": "Dr. Alan Patel", "specialty": "orthopedic surgery",
                 "practice": "Valley Orthopedics", "date": "2026-08-15"},
    "precautions": ["No kneeling"], "limits": {"bp_max": "160/100", "hr_max": 130},
    "goals": [{"text": "Climb 12 stairs without the rail", "term": "short",
               "target_date": "2026-10-15"}],
    "assessments": [{"date": "2026-08-20", "measure": "30-second chair stand", "value": 7,
                     "unit": "reps"}],
    "sessions": [{"date": "2026-09-02", "duration_min": 55,
                  "vitals": {"bp_pre": "128/82", "hr_pre": 72, "bp_post": "136/84", "hr_post": 96},
                  "rpe": 5,
                  "exercises": [{"name": "Sit-to-stand", "sets": 3, "reps": 10, "load": "bodyweight"}],
                  "client_report": "Stairs easier at home",
                  "observations": "Needed one hand on the rail",
                  "plan": "Add a 2 kg vest next session"}],
    "practitioner": {"name": "Jordan Lee", "credentials": "MES", "practice": "Lee Medical Exercise",
                     "phone": "555-0100", "email": "jordan@example.com"},
}  # fmt: skip


def design_case() -> dict[str, Any]:
    """A fresh copy of the design.md example case."""
    return copy.deepcopy(DESIGN_CASE)


def make(kind: str, data: dict[str, Any], **options: Any) -> Draft:
    """Draft `kind` from case data, dated TODAY."""
    return draft(kind, parse_case(data), DraftOptions(date=TODAY, **options))
