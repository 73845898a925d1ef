"""Corrections to a logged exercise or a client's name: read only when the message is one."""

from __future__ import annotations

import pytest

from assistant.chat.corrections import apply_correction, read_correction, read_new_name


def _session() -> dict[str, object]:
    return {"exercises": [{"name": "Leg press", "sets": 3, "reps": 10},
                          {"name": "Bridges", "sets": 2, "reps": 15}]}  # fmt: skip


@pytest.mark.parametrize(
    ("message", "load"),
    [
        ("change her leg press to 4x8 with 5 kg", "5 kg"),
        ("change her leg press to 4x8 @ 22.5lb", "22.5lb"),
        ("change her leg press to 4x8", None),
        ("actually the leg press was 4x8 w 5 lb db", "5 lb"),
    ],
)
def test_a_load_given_with_the_correction_is_recorded_with_it(message: str, load: str | None) -> None:
    fix = read_correction(message)
    assert fix is not None
    found = apply_correction(_session(), fix)
    assert found is not None and (found["sets"], found["reps"], found.get("load")) == (4, 8, load)


@pytest.mark.parametrize(
    ("message", "changed"),
    [
        ("sorry, it was 3x12 not 3x10", ("Leg press", 3, 12)),
        ("the bridges were 2x12 not 2x15", ("Bridges", 2, 12)),
        ("change her leg press to 4x8", ("Leg press", 4, 8)),
        ("the bridges were 3x12 not 3x10", None),  # the bridges were never 3x10
        ("change her rows to 3x12", None),  # no rows logged
        ("sorry, the calf raise was 3x12 not 3x10", None),  # a name not in the session
        # found by a tester
        ("sorry, that was 3x8 not 3x10", ("Leg press", 3, 8)),
        ("actually the bridges were 2x12", ("Bridges", 2, 12)),
        ("oops the leg press was 4x12", ("Leg press", 4, 12)),
    ],
)
def test_a_correction_changes_one_named_or_matching_exercise(
    message: str, changed: tuple[str, int, int] | None
) -> None:
    fix = read_correction(message)
    assert fix is not None
    found = apply_correction(_session(), fix)
    assert (found and (found["name"], found["sets"], found["reps"])) == changed or (
        found is None and changed is None
    )


@pytest.mark.parametrize(
    "message",
    [
        "should I change her leg press to 3x12?",
        "session log: squats 3x10 not 3x12 because of knee pain, lunges 2x8",
        "did 3x10 squats and 2x8 rows",
        "next time make the leg press 4x8 not 3x10",
        "don't change the leg press to 3x12",
        "actually her squats were 3x10 today and rows 2x8",
    ],
)
def test_questions_and_new_logs_are_not_corrections(message: str) -> None:
    assert read_correction(message) is None


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("her name is spelled Katherine", "Katherine"),
        ("Tom Baker's name is spelled Thom Baker", "Thom Baker"),
        ("her name is spelled Margret Olsen actually, no wait it's Margaret Olson", "Margaret Olson"),
        ("his name is spelled wrong in the letter to Dr. Patel", None),
        ("the name should be as on the referral from Dr. Ruth Okafor", None),
        ("her name is spelled Katherine, and should she double her Metformin", None),
        ("name is spelled right, the surname is Baker-Smith", None),
        ("my name is spelled Dana Leigh", None),
        ("his cardiologist's name is spelled Okafor", None),
        ("the exercise name should be Leg Press", None),
    ],
)
def test_a_name_correction_ends_with_the_name_as_spelled(message: str, name: str | None) -> None:
    assert read_new_name(message) == name
