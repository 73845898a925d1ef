"""Tier gap: current tier, what the next tier needs, boundaries, discrepancies, next steps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.models import PractitionerProfile, load_profile, parse_profile
from assistant.paths import KNOWLEDGE_DIR
from assistant.skills import import_skills
from assistant.tiers import tier_gap

PROFILES = Path(__file__).resolve().parents[1] / "data" / "profiles"
REPO = KNOWLEDGE_DIR.parent
ESSENTIAL = [f"E{i:02d}" for i in range(1, 19)]
INTERMEDIATE = [f"I{i:02d}" for i in range(1, 19)]
ADVANCED = [f"A{i:02d}" for i in range(1, 17)]

# A profile that meets every entry requirement of every tier.
FULL: dict[str, Any] = {
    "months_in_practice": 24, "supervised_assessments": 50, "chronic_clients_managed": 30,
    "documented_sessions": 250, "referral_partners": 5,
    "skills_completed": ESSENTIAL + INTERMEDIATE,
}


def profile(**changes: Any) -> PractitionerProfile:
    return PractitionerProfile.model_validate({**FULL, **changes})


# (tier whose entry is tested, field, need): at the threshold the tier is reached; one below
# it is not, and the requirement is reported as missing with have/need.
BOUNDARIES = [
    ("intermediate", "months_in_practice", 6, "Months in practice"),
    ("intermediate", "supervised_assessments", 50, "MET assessments performed under guidance"),
    ("advanced", "months_in_practice", 24, "Months in practice"),
    ("advanced", "chronic_clients_managed", 30, "Clients with chronic or post-rehab conditions managed"),
    ("advanced", "documented_sessions", 250, "Documented sessions"),
    ("advanced", "referral_partners", 5, "Healthcare professionals in the referral network"),
]
BELOW = {"intermediate": "essential", "advanced": "intermediate"}


@pytest.mark.parametrize(("tier", "field", "need", "label"), BOUNDARIES)
def test_at_the_threshold_the_tier_is_reached(tier: str, field: str, need: int, label: str) -> None:
    counts = {field: need}
    if tier == "intermediate":  # keep the advanced entry out of reach
        counts |= {"skills_completed": ESSENTIAL}
    gap = tier_gap(profile(**counts))
    assert gap.derived_tier == tier
    assert gap.current_tier == tier


@pytest.mark.parametrize(("tier", "field", "need", "label"), BOUNDARIES)
def test_just_below_the_threshold_the_requirement_is_missing(
    tier: str, field: str, need: int, label: str
) -> None:
    counts = {field: need - 1}
    if tier == "intermediate":
        counts |= {"skills_completed": ESSENTIAL}
    gap = tier_gap(profile(**counts))
    assert gap.derived_tier == BELOW[tier]
    assert gap.next_tier == tier
    missing = [m for m in gap.missing if m.requirement == label]
    assert [(m.have, m.need) for m in missing] == [(need - 1, need)]
    assert not gap.ready_for_next
    assert any(str(need - (need - 1)) + " more" in step.text for step in gap.next_steps)


@pytest.mark.parametrize(("tier", "field", "need", "label"), BOUNDARIES)
def test_one_short_is_said_in_the_singular(tier: str, field: str, need: int, label: str) -> None:
    counts = {field: need - 1}
    if tier == "intermediate":
        counts |= {"skills_completed": ESSENTIAL}
    texts = " ".join(step.text for step in tier_gap(profile(**counts)).next_steps)
    assert "1 more " in texts
    for plural in ("months", "assessments", "clients", "sessions", "professionals"):
        assert f"1 more {plural}" not in texts


def test_one_remaining_skill_is_said_in_the_singular() -> None:
    texts = " ".join(
        s.text for s in tier_gap(profile(skills_completed=ESSENTIAL[:-1])).next_steps
    )
    assert "the 1 remaining Essential skill:" in texts


@pytest.mark.parametrize(
    ("skills", "derived", "missing_ids"),
    [
        (ESSENTIAL[:-1], "essential", ["E18"]),
        (ESSENTIAL, "intermediate", INTERMEDIATE),
        (ESSENTIAL + INTERMEDIATE[:-2], "intermediate", ["I17", "I18"]),
        (ESSENTIAL + INTERMEDIATE, "advanced", ADVANCED),
    ],
)
def test_skills_decide_the_tier_and_missing_ones_are_named(
    skills: list[str], derived: str, missing_ids: list[str]
) -> None:
    gap = tier_gap(profile(skills_completed=skills))
    assert gap.derived_tier == derived
    assert [s.id for s in gap.skills_missing] == missing_ids
    assert all(s.name for s in gap.skills_missing)


def test_a_new_practitioner_sees_every_missing_entry_requirement() -> None:
    gap = tier_gap(load_profile(PROFILES / "essential-new.json"))
    assert (gap.current_tier, gap.next_tier, gap.timeframe) == ("essential", "intermediate", "12–24 months")
    assert [(m.requirement, m.have, m.need) for m in gap.missing] == [
        ("Months in practice", 3, 6),
        ("MET assessments performed under guidance", 18, 50),
        ("All Essential skills completed", 5, 18),
    ]
    assert list(gap.skills_missing_by_tier) == ["essential"]


def test_next_steps_cite_knowledge_documents_that_exist() -> None:
    gap = tier_gap(load_profile(PROFILES / "essential-new.json"))
    assert len(gap.next_steps) >= 4
    for step in gap.next_steps:
        assert step.source and step.source.startswith("knowledge/")
        assert (REPO / step.source).is_file(), step.source


def test_a_declared_tier_the_counts_do_not_support_is_explained() -> None:
    gap = tier_gap(load_profile(PROFILES / "intermediate-declared-short.json"))
    assert (gap.current_tier, gap.derived_tier, gap.next_tier) == ("intermediate", "essential", "advanced")
    assert any("profile says Intermediate" in n and "40 of 50" in n for n in gap.notes)
    assert gap.warnings == [
        "skills_completed: unknown skill id 'X99' (not in the skills catalog); ignored."
    ]


def test_a_declared_tier_below_the_counts_is_explained() -> None:
    gap = tier_gap(profile(current_tier="essential"))
    assert gap.current_tier == "essential" and gap.derived_tier == "advanced"
    assert any("already meet the entry requirements of Advanced" in n for n in gap.notes)


def test_minimum_met_but_below_recommended_is_noted() -> None:
    gap = tier_gap(load_profile(PROFILES / "essential-ready.json"))
    assert gap.ready_for_next and gap.missing == []
    assert any("62 of 50" in n and "75 is recommended" in n for n in gap.notes)
    assert any("Every entry requirement for Intermediate is met" in s.text for s in gap.next_steps)


def test_advanced_practitioners_get_what_to_maintain() -> None:
    gap = tier_gap(load_profile(PROFILES / "advanced.json"))
    assert (gap.current_tier, gap.next_tier) == ("advanced", None)
    assert gap.missing == [] and gap.maintain
    assert any("referral network" in line for line in gap.maintain)
    assert [s.id for s in gap.skills_missing] == ADVANCED[2:]


def test_output_has_the_http_shape() -> None:
    payload = json.loads(tier_gap(load_profile(PROFILES / "essential-new.json")).model_dump_json())
    assert {"current_tier", "next_tier", "met", "missing", "skills_missing"} <= set(payload)
    assert set(payload["missing"][0]) >= {"requirement", "have", "need"}
    assert set(payload["skills_missing"][0]) >= {"id", "name"}


def test_an_imported_checklist_is_used_without_a_restart(tmp_path: Path) -> None:
    skills = tmp_path / "skills.yaml"
    skills.write_bytes((KNOWLEDGE_DIR / "skills.yaml").read_bytes())
    profile = parse_profile({"name": "Sam", "current_tier": "essential", "skills_completed": []})
    before = tier_gap(profile, KNOWLEDGE_DIR / "tiers.yaml", skills)
    assert len(before.skills_missing) == 18

    official = tmp_path / "official.csv"
    official.write_text("id,tier,name\nOE1,essential,Vital signs\nOE2,essential,Intake\nOI1,intermediate,Reports\n")
    import_skills(official, skills)
    after = tier_gap(profile, KNOWLEDGE_DIR / "tiers.yaml", skills)
    assert [s.id for s in after.skills_missing] == ["OE1", "OE2"]


def test_an_imported_checklist_in_the_data_dir_is_the_one_the_tier_gap_uses(tmp_path: Path) -> None:
    from assistant.skills import imported_skills_path, skills_file

    data_dir = tmp_path / "data"
    assert skills_file(data_dir, KNOWLEDGE_DIR) == KNOWLEDGE_DIR / "skills.yaml"
    official = tmp_path / "official.csv"
    official.write_text("id,tier,name\nX01,essential,Only skill\n")
    import_skills(official, imported_skills_path(data_dir))
    chosen = skills_file(data_dir, KNOWLEDGE_DIR)
    assert chosen == data_dir / "knowledge" / "skills.yaml"
    gap = tier_gap(PractitionerProfile(current_tier="essential"), KNOWLEDGE_DIR / "tiers.yaml", chosen)
    assert [s.id for s in gap.skills_missing] == ["X01"]
