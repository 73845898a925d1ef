"""tier_gap(profile) -> TierGap: where a practitioner stands and what the next tier needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from assistant.models import PractitionerProfile
from assistant.tiers import catalog
from assistant.tiers.catalog import Requirement, Skill, Tier


class RequirementStatus(BaseModel):
    """One entry requirement with what the practitioner has and what it needs."""

    requirement: str
    have: int
    need: int
    id: str
    recommended: int | None = None
    source: str | None = None


class SkillRef(BaseModel):
    id: str
    name: str
    tier: str
    draft: bool = Field(
        False, description="From the draft catalog shipped with MES AI, not the official checklist."
    )


class NextStep(BaseModel):
    text: str
    source: str | None = None


class TierGap(BaseModel):
    """design.md's tier-gap answer plus timeframe, next steps, notes and warnings."""

    current_tier: str
    next_tier: str | None
    met: list[RequirementStatus] = Field(default_factory=list)
    missing: list[RequirementStatus] = Field(default_factory=list)
    skills_missing: list[SkillRef] = Field(default_factory=list)
    derived_tier: str
    ready_for_next: bool = False
    skills_missing_by_tier: dict[str, list[SkillRef]] = Field(default_factory=dict)
    timeframe: str | None = None
    next_steps: list[NextStep] = Field(default_factory=list)
    maintain: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    skills_catalog: str = Field(
        "official", description="'draft' while the shipped draft skill catalog is in use."
    )
    mastery_targets: list[NextStep] = Field(
        default_factory=list,
        description="What mastering the current tier means (next_steps: what moving up needs).",
    )


def _status(
    req: Requirement, profile: PractitionerProfile, done: set[str], catalog_skills: list[Skill]
) -> RequirementStatus:
    if req.skills_tier is not None:
        tier_skills = [s for s in catalog_skills if s.tier == req.skills_tier]
        have = sum(1 for s in tier_skills if s.id in done)
        return RequirementStatus(
            requirement=req.label, have=have, need=len(tier_skills), id=req.id, source=req.source
        )
    assert req.field is not None and req.need is not None
    if req.field not in PractitionerProfile.model_fields:
        raise ValueError(
            f"tiers.yaml: requirement {req.id} names unknown profile field '{req.field}'"
        )
    value = getattr(profile, req.field)
    return RequirementStatus(
        requirement=req.label,
        have=int(value),
        need=req.need,
        id=req.id,
        recommended=req.recommended,
        source=req.source,
    )


def _evaluate(
    tier: Tier, profile: PractitionerProfile, done: set[str], skills: list[Skill]
) -> tuple[list[RequirementStatus], list[RequirementStatus]]:
    met: list[RequirementStatus] = []
    missing: list[RequirementStatus] = []
    for req in tier.requirements:
        status = _status(req, profile, done, skills)
        (met if status.have >= status.need else missing).append(status)
    return met, missing


def derive_tier(
    profile: PractitionerProfile, tiers: list[Tier], skills: list[Skill], done: set[str]
) -> Tier:
    """The highest tier whose entry requirements (and those of every tier below) are met."""
    reached = tiers[0]
    for tier in tiers[1:]:
        if _evaluate(tier, profile, done, skills)[1]:
            break
        reached = tier
    return reached


def _lower_first(text: str) -> str:
    """Lower-case a leading capital for use mid-sentence, leaving acronyms (POEs) alone."""
    return text[:1].lower() + text[1:]


def _shortfall_text(items: list[RequirementStatus]) -> str:
    return "; ".join(f"{s.requirement} {s.have} of {s.need}" for s in items)


def tier_gap(
    profile: PractitionerProfile,
    tiers_path: Path = catalog.TIERS_PATH,
    skills_path: Path = catalog.SKILLS_PATH,
) -> TierGap:
    """Current tier (given or derived), next tier, requirements met/missing, next steps."""
    tiers = list(catalog.tiers(tiers_path))
    skills = list(catalog.skills(skills_path))
    words: dict[str, Any] = catalog.wording()
    by_id = {t.id: t for t in tiers}
    known = {s.id for s in skills}
    done = {s for s in profile.skills_completed if s in known}
    warnings = [
        words["warnings"]["unknown_skill"].format(id=s)
        for s in profile.skills_completed
        if s not in known
    ]

    derived = derive_tier(profile, tiers, skills, done)
    notes: list[str] = []
    if profile.current_tier is None:
        current = derived
        notes.append(words["notes"]["derived"].format(derived=derived.name))
    else:
        current = by_id[profile.current_tier]
        if current.order > derived.order:
            short = _evaluate(current, profile, done, skills)[1]
            notes.append(
                words["notes"]["declared_above"].format(
                    declared=current.name, derived=derived.name, shortfalls=_shortfall_text(short)
                )
            )
        elif current.order < derived.order:
            notes.append(
                words["notes"]["declared_below"].format(declared=current.name, derived=derived.name)
            )

    following = [t for t in tiers if t.order > current.order]
    nxt = following[0] if following else None
    met, missing = _evaluate(nxt, profile, done, skills) if nxt else ([], [])
    for item in met:
        if item.recommended is not None and item.have < item.recommended:
            notes.append(
                words["notes"]["recommended"].format(
                    label=item.requirement,
                    have=item.have,
                    need=item.need,
                    recommended=item.recommended,
                )
            )

    limit = nxt.order if nxt else max(t.order for t in tiers) + 1
    order = {t.id: t.order for t in tiers}
    draft_catalog = catalog.is_draft_catalog(skills_path)
    skills_missing = [
        SkillRef(id=s.id, name=s.name, tier=s.tier, draft=draft_catalog and not s.public)
        for s in skills
        if s.id not in done and order.get(s.tier, limit) < limit
    ]
    grouped: dict[str, list[SkillRef]] = {}
    for ref in skills_missing:
        grouped.setdefault(ref.tier, []).append(ref)

    return TierGap(
        current_tier=current.id,
        next_tier=nxt.id if nxt else None,
        met=met,
        missing=missing,
        skills_missing=skills_missing,
        derived_tier=derived.id,
        ready_for_next=bool(nxt) and not missing,
        skills_missing_by_tier=grouped,
        timeframe=(nxt or current).timeframe,
        next_steps=_next_steps(current, nxt, missing, grouped, by_id, words),
        maintain=list(current.maintain) if nxt is None else [],
        notes=notes,
        warnings=warnings,
        skills_catalog="draft" if draft_catalog else "official",
        mastery_targets=_mastery_targets(current, met + missing, words),
    )


def _mastery_targets(
    current: Tier, statuses: list[RequirementStatus], words: dict[str, Any]
) -> list[NextStep]:
    """The current tier's mastery: its usual time, the recommended counts, its habits."""
    text = words.get("mastery", {})
    if not text:
        return []
    source = current.sources[0] if current.sources else None
    targets: list[NextStep] = []
    if current.mastery:
        targets.append(
            NextStep(
                text=text["time"].format(tier_name=current.name, mastery=current.mastery),
                source=source,
            )
        )
    for item in statuses:
        if item.recommended is not None:
            targets.append(
                NextStep(
                    text=text["recommended"].format(
                        label=item.requirement,
                        need=item.need,
                        recommended=item.recommended,
                        have=item.have,
                    ),
                    source=item.source,
                )
            )
    targets += [NextStep(text=line, source=source) for line in current.maintain]
    return targets


def _next_steps(
    current: Tier,
    nxt: Tier | None,
    missing: list[RequirementStatus],
    grouped: dict[str, list[SkillRef]],
    by_id: dict[str, Tier],
    words: dict[str, Any],
) -> list[NextStep]:
    text = words["steps"]
    steps: list[NextStep] = []
    if nxt is None:
        steps.append(
            NextStep(
                text=text["top"].format(tier_name=current.name),
                source=current.sources[0] if current.sources else None,
            )
        )
        return steps
    reqs = {r.id: r for r in nxt.requirements}
    for item in missing:
        req = reqs[item.id]
        if req.skills_tier is not None:
            continue
        extra = (
            text["recommended_text"].format(recommended=item.recommended)
            if item.recommended
            else ""
        )
        gap = item.need - item.have
        pattern = _wording(text, req.field or "field", gap)
        steps.append(
            NextStep(
                text=pattern.format(
                    gap=gap,
                    have=item.have,
                    need=item.need,
                    label=item.requirement,
                    recommended_text=extra,
                ),
                source=item.source,
            )
        )
    skill_sources = {r.skills_tier: r.source for r in nxt.requirements if r.skills_tier}
    for tier_id, refs in grouped.items():
        tier = by_id.get(tier_id)
        steps.append(
            NextStep(
                text=_wording(text, "skills", len(refs)).format(
                    count=len(refs),
                    tier_name=tier.name if tier else tier_id,
                    ids=", ".join(r.id for r in refs),
                ),
                source=skill_sources.get(tier_id)
                or (tier.sources[0] if tier and tier.sources else None),
            )
        )
    if not missing:
        steps.append(
            NextStep(
                text=text["ready"].format(tier_name=nxt.name),
                source=nxt.sources[0] if nxt.sources else None,
            )
        )
    steps.append(
        NextStep(
            text=text["read"].format(
                tier_name=nxt.name,
                focus=_lower_first(nxt.focus or ""),
                deliverable=_lower_first(nxt.key_deliverable or ""),
            ),
            source=nxt.sources[0] if nxt.sources else None,
        )
    )
    return steps


def _wording(text: dict[str, str], key: str, count: int) -> str:
    """The step's wording, in the singular when exactly one is missing and the file has it."""
    if count == 1 and f"{key}_one" in text:
        return text[f"{key}_one"]
    return text.get(key, text["field"])
