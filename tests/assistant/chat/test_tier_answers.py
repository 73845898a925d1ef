"""Tier answers say which skills are from the draft catalog and keep mastery apart from moving up."""

from __future__ import annotations

from pathlib import Path

from assistant.chat.tier_text import tier_answer
from assistant.models import PractitionerProfile
from assistant.paths import KNOWLEDGE_DIR
from assistant.skills import import_skills
from assistant.tiers import tier_gap

TIERS = KNOWLEDGE_DIR / "tiers.yaml"
NAMES = {"essential": "Essential", "intermediate": "Intermediate", "advanced": "Advanced"}
NEW = PractitionerProfile(months_in_practice=3, supervised_assessments=62)


def test_draft_catalog_skills_are_marked_and_public_ones_are_not() -> None:
    gap = tier_gap(NEW)
    assert gap.skills_catalog == "draft"
    marks = {s.id: s.draft for s in gap.skills_missing}
    assert marks["E01"] is False and marks["E10"] is False  # the publicly known skills
    assert marks["E11"] is True and marks["E18"] is True


def test_mastery_targets_are_separate_from_what_moving_up_needs() -> None:
    gap = tier_gap(NEW)
    moving = " ".join(s.text for s in gap.next_steps)
    mastery = " ".join(s.text for s in gap.mastery_targets)
    assert "6–12 months" in mastery and "75 is the mastery target (62 so far)" in mastery
    assert "Complete a session log after every session" in mastery
    assert "3 more months" in moving and "mastery target" not in moving


def test_an_imported_official_checklist_has_no_draft_marks(tmp_path: Path) -> None:
    csv = tmp_path / "official.csv"
    rows = ["id,tier,name,description"]
    rows += [f"E{i:02d},essential,Skill {i},d" for i in range(1, 19)]
    rows += [f"I{i:02d},intermediate,Skill {i},d" for i in range(1, 19)]
    csv.write_text("\n".join(rows) + "\n")
    target = tmp_path / "skills.yaml"
    import_skills(csv, target)
    gap = tier_gap(NEW, TIERS, target)
    assert gap.skills_catalog == "official"
    assert gap.skills_missing and not any(s.draft for s in gap.skills_missing)
    assert "draft skill catalog" not in tier_answer(gap, NAMES, True)


def test_the_chat_answer_has_both_sections_and_the_draft_note() -> None:
    text = tier_answer(tier_gap(NEW), NAMES, True)
    move, mastery = text.index("To move up to Intermediate"), text.index("Mastery targets")
    assert move < mastery
    assert "E11, E12" in text and "draft skill catalog" in text
    assert "don't have your practitioner profile" not in text
    assert "don't have your practitioner profile" in tier_answer(tier_gap(NEW), NAMES, False)
