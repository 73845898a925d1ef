"""An exercise that names what a precaution forbids is flagged in the drafts that report it."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.drafting import DraftOptions, draft
from assistant.drafting.precautions import activities, conflicts
from assistant.models import parse_case

CASE = Path(__file__).parents[2] / "data" / "cases" / "post-tkr.json"
TODAY = dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("precaution", "exercise", "conflicting"),
    [
        ("No kneeling", "Half-kneeling cable chop", True),
        ("No kneeling on the left knee", "Tall kneeling press", True),
        ("Avoid deep squats past 90 degrees", "Goblet squat", True),
        ("No running for 6 weeks", "Treadmill run intervals", True),
        ("No lunges", "Reverse lunge", True),
        ("Avoid overhead presses", "Seated overhead press", True),
        ("No heavy lifting", "Box lift from knee height", True),
        ("No crossing the legs", "Cross-body hamstring stretch", True),
        ("No kneeling", "Sit-to-stand", False),
        ("Avoid deep squats past 90 degrees", "Step-ups, 20 cm step", False),
        ("No running for 6 weeks", "Walking, level ground", False),
        ("Lymphedema risk left arm", "Arm curls", False),  # names no activity to avoid
        ("Avoid hip flexion past 90 degrees", "Hip bridge", False),
        # found in review: a knee exercise is no kneeling; push-ups; two activities in one
        ("No kneeling", "Seated knee extension", False),
        ("No push-ups", "Wall push-ups", True),
        ("No step-ups for now", "Step-ups, 20 cm step", True),
        ("No lunges or squats", "Split squat", True),
        ("No lunges or squats", "Walking lunges", True),
    ],
)
def test_an_exercise_naming_the_forbidden_activity_conflicts(
    precaution: str, exercise: str, conflicting: bool
) -> None:
    data = copy.deepcopy(json.loads(CASE.read_text()))
    data["precautions"] = [precaution]
    data["sessions"][-1]["exercises"].append({"name": exercise})
    found = conflicts(parse_case(data))
    assert bool(found) is conflicting, (precaution, exercise, activities(precaution))


def test_the_session_log_and_summary_warn_and_other_sessions_stay_out_of_the_log() -> None:
    data = copy.deepcopy(json.loads(CASE.read_text()))
    data["sessions"][0]["exercises"].append({"name": "Half-kneeling hip flexor stretch"})
    case = parse_case(data)
    summary = draft("progress-summary", case, DraftOptions(date=TODAY))
    flagged = [w for w in summary.warnings if "Half-kneeling hip flexor stretch" in w]
    assert len(flagged) == 1 and '"No kneeling"' in flagged[0]
    latest = draft("session-log", case, DraftOptions(date=TODAY))
    assert not any("may go against" in w for w in latest.warnings)
    first = draft("session-log", case, DraftOptions(date=TODAY, session=1))
    assert any("Half-kneeling hip flexor stretch" in w for w in first.warnings)
