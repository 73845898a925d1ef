"""Wording of figures in drafts: counts and durations agree in number, vitals without a limit
are not called 'within limit', and missing fields are named in words."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.drafting import catalog, field_label
from assistant.drafting.catalog import DOCUMENTS_DIR
from tests.assistant.drafting.design_case import design_case, make

SUMMARIES_AND_LETTERS: list[tuple[str, dict[str, Any]]] = [
    ("progress-summary", {}),
    ("discharge-summary", {"discharge_reason": "Client relocating"}),
    ("referral-letter", {"letter_type": "thank-you"}),
    ("referral-letter", {"letter_type": "progress-update"}),
]


def _with_sessions(*dates: str, minutes: int = 55) -> dict[str, Any]:
    data = design_case()
    first = data["sessions"][0]
    data["sessions"] = [{**first, "date": day, "duration_min": minutes} for day in dates]
    return data


@pytest.mark.parametrize(("kind", "options"), SUMMARIES_AND_LETTERS)
def test_sessions_a_week_apart_say_about_1_week_never_1_weeks(
    kind: str, options: dict[str, Any]
) -> None:
    text = make(kind, _with_sessions("2026-09-02", "2026-09-09"), **options).markdown
    assert "2 sessions from 2 September 2026 to 9 September 2026 (about 1 week)" in text
    assert "1 weeks" not in text


@pytest.mark.parametrize(
    ("dates", "minutes", "says", "never"),
    [
        (("2026-09-02", "2026-09-16"), 55, "(about 2 weeks), 110 minutes in total", "2 week)"),
        (("2026-09-02", "2026-09-04"), 55, "to 4 September 2026, 110 minutes", "about 0"),
        (("2026-09-02",), 1, "1 session on 2 September 2026, 1 minute", "1 minutes"),
        (("2026-09-02",), 55, "1 session on 2 September 2026, 55 minutes", "55 minute,"),
    ],
)
def test_attendance_counts_agree_in_number(
    dates: tuple[str, ...], minutes: int, says: str, never: str
) -> None:
    text = make("progress-summary", _with_sessions(*dates, minutes=minutes)).markdown
    assert says in text
    assert never not in text


@pytest.mark.parametrize(
    ("exercise", "says"),
    [
        ({"name": "Bridge", "sets": 1}, "- Bridge: 1 set"),
        ({"name": "Bridge", "sets": 2}, "- Bridge: 2 sets"),
        ({"name": "Bridge", "reps": 1}, "- Bridge: 1 rep"),
        ({"name": "Bridge", "reps": 12}, "- Bridge: 12 reps"),
    ],
)
def test_home_program_says_1_set_and_1_rep(exercise: dict[str, Any], says: str) -> None:
    data = design_case() | {"home_program": [exercise]}
    text = make("discharge-summary", data, discharge_reason="Client relocating").markdown
    assert says in text.splitlines()


def test_a_clearance_request_after_one_session_says_1_session_so_far() -> None:
    text = make("referral-letter", design_case(), letter_type="clearance-request").markdown
    assert "(1 session so far)" in text


def _heart_rate_row(limits: dict[str, Any]) -> str:
    data = design_case() | {"limits": limits}
    text = make("session-log", data).markdown
    return next(line for line in text.splitlines() if line.startswith("| Heart rate"))


@pytest.mark.parametrize(
    ("limits", "row"),
    [
        ({"bp_max": "160/100", "hr_max": 130},
         "| Heart rate (bpm) | 72 | 96 | up to 130 | within limit |"),
        ({"bp_max": "160/100"},
         "| Heart rate (bpm) | 72 | 96 | none set | no limit to compare against |"),
        ({"bp_max": "160/100", "hr_max": 90},
         "| Heart rate (bpm) | 72 | 96 | up to 90 | **beyond limit**: see safety notes |"),
    ],
)  # fmt: skip
def test_a_heart_rate_with_no_limit_is_not_called_within_limit(
    limits: dict[str, Any], row: str
) -> None:
    assert _heart_rate_row(limits) == row


def test_an_oxygen_saturation_with_no_limit_is_not_called_within_limit() -> None:
    data = design_case()
    data["sessions"][0]["vitals"]["spo2_pre"] = 97
    text = make("session-log", data).markdown
    assert "| Oxygen saturation (%) | 97 | — | none set | no limit to compare against |" in text


def _paths_templates_ask_for() -> set[str]:
    text = "\n".join(p.read_text() for p in DOCUMENTS_DIR.glob("*.j2"))
    return set(re.findall(r'need\("([a-z0-9_.]+)"\)', text)) | {"options.to_physician"}


@pytest.mark.parametrize("path", sorted(_paths_templates_ask_for()))
def test_every_field_a_draft_can_miss_is_named_in_words(path: str) -> None:
    assert path in catalog.messages()["field_labels"]  # its own wording, not the fallback
    assert not re.search(r"[._]", field_label(path)), field_label(path)


def test_a_missing_phone_is_still_needed_as_your_phone_number() -> None:
    data = design_case()
    del data["practitioner"]["phone"], data["practitioner"]["email"]
    result = make("session-log", data)
    assert result.missing_fields == ["practitioner.phone"]
    assert result.missing_labels == ["your phone number"]
    assert "missing_labels" not in result.to_json()
