"""check_output: clinical statements, therapy wording and invented numbers in replies."""

from __future__ import annotations

import pytest

from guardrails import check_output

FLAGGED = [
    ("She should take 500 mg of metformin twice daily.", "dosing"),
    ("Increase her lisinopril to 20 mg before sessions.", "dosing"),
    ("Tell him to skip his insulin on training days.", "dosing"),
    ("This sounds like a rotator cuff tear.", "diagnosis"),
    ("She probably has patellar tendinitis.", "diagnosis"),
    ("Her A1c of 8.9 is high, which means her diabetes is poorly controlled.", "interpretation"),
    ("His MRI shows a tear that means he should avoid squats.", "interpretation"),
    ("Our exercise therapy sessions run for 55 minutes.", "therapy_language"),
    ("I will treat your knee pain with targeted exercise.", "therapy_language"),
]


@pytest.mark.parametrize(("text", "kind"), FLAGGED)
def test_clinical_statements_are_flagged(text: str, kind: str) -> None:
    issues = check_output(text)
    assert kind in {i.kind for i in issues}
    assert all(i.message for i in issues)


CLEAN = [
    "Do not change her medication; ask Dr. Lee whether her limits should be updated.",
    "She completed physical therapy in August and Dr. Patel referred her for medical exercise.",
    "BP was 128/82 before the session and 136/84 after; RPE 5.",
    "Sit-to-stand 3 x 10 with bodyweight; she needed one hand on the rail.",
    "I can draft a note asking her physician for exercise precautions.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_in_scope_replies_pass(text: str) -> None:
    assert check_output(text) == []


def test_unsupported_number_is_flagged_when_sources_are_given() -> None:
    sources = ["30-second chair stand: 7 reps at baseline, 11 reps at day 30."]
    issues = check_output("Chair stand improved from 7 to 12 reps.", sources=sources)
    assert [(i.kind, i.excerpt) for i in issues] == [("unsupported_number", "12")]


def test_supported_numbers_pass() -> None:
    sources = ["30-second chair stand: 7 reps at baseline, 11 reps at day 30."]
    assert check_output("Chair stand improved from 7 to 11 reps.", sources=sources) == []


def test_numbers_are_not_checked_without_sources() -> None:
    assert check_output("Chair stand improved from 7 to 12 reps.") == []


def test_dosing_sentence_and_unsupported_number_are_both_reported() -> None:
    issues = check_output("Take 850 mg of metformin. TUG went from 14 to 9 seconds.",
                          sources=["TUG 14 s at baseline, 11 s now"])
    assert {i.kind for i in issues} == {"dosing", "unsupported_number"}
