"""Tier gap: what a practitioner still needs for the next MedExPRO tier."""

from __future__ import annotations

from assistant.tiers.gap import NextStep, RequirementStatus, SkillRef, TierGap, tier_gap

__all__ = ["NextStep", "RequirementStatus", "SkillRef", "TierGap", "tier_gap"]
