"""A discharge summary warns when its stated reason contradicts the goals on file."""

from __future__ import annotations

import pytest

from tests.assistant.drafting.design_case import design_case, make

CONTRADICTION = "The reason for discharge says the goals were met"


@pytest.mark.parametrize(
    ("reason", "goal_status", "warned"),
    [
        ("goals met", None, True),
        ("All goals achieved; continues independently", "in_progress", True),
        ("She met all her goals", "not_met", True),
        ("goals met", "met", False),
        ("goals not met; client relocating", None, False),
        ("some goals met, client moving away", None, False),
        ("Client relocating", None, False),
        ("goals have all been met", None, True),
        ("goals: met", None, True),
        ("met every goal", None, True),
        ("She never met her goals", None, False),
        ("goals were never met", None, False),
        ("none of the goals met", None, False),
        ("goals were met in part", None, False),
        ("goals successfully met", None, True),
        ("met all 3 goals", None, True),
        ("goals — met", None, True),
        ("goals: completed 6 of 10 sessions then moved", None, False),
        ("goal: achieved walking w/o cane, stairs not yet", None, False),
        ("goals: met 2 of 4", None, False),
        ("goals met (partially)", None, False),
        ("pt never really fully met her goals", None, False),
        ("hasn't met her goals", None, False),
    ],
)
def test_a_reason_saying_goals_met_is_checked_against_the_goals(
    reason: str, goal_status: str | None, warned: bool
) -> None:
    data = design_case()
    data["goals"][0]["status"] = goal_status
    result = make("discharge-summary", data, discharge_reason=reason)
    found = [w for w in result.warnings if w.startswith(CONTRADICTION)]
    assert bool(found) == warned, result.warnings
    if warned:
        assert "Climb 12 stairs without the rail" in found[0]


def test_the_design_example_discharged_for_goals_met_warns_about_the_open_goal() -> None:
    result = make("discharge-summary", design_case(), discharge_reason="goals met")
    assert "**Reason for discharge:** goals met" in result.markdown
    assert "**Not met:** none" in result.markdown  # its status is not recorded: not "not met"
    assert "**Status not marked:** Climb 12 stairs without the rail (not recorded)" in result.markdown
    assert any(
        w.startswith(CONTRADICTION) and "Climb 12 stairs without the rail (not recorded)" in w
        for w in result.warnings
    ), result.warnings


def test_other_documents_do_not_judge_the_discharge_reason() -> None:
    result = make("progress-summary", design_case(), discharge_reason="goals met")
    assert not [w for w in result.warnings if w.startswith(CONTRADICTION)]


def test_figures_of_the_stated_reason_are_no_unsupported_figures() -> None:
    result = make("discharge-summary", design_case(), discharge_reason="goals met 2 of 4, moving")
    assert "goals met 2 of 4, moving" in result.markdown
    assert not [w for w in result.warnings if "does not come from the case" in w], result.warnings
