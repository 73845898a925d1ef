"""Deterministic reading of "I've now done 62 supervised assessments" into profile changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NUMBER = r"(\d{1,6})"
_MORE = r"(?:(more|extra|additional|another|new)\s+)?"
"""'5 more assessments' adds to the count on file; '50 assessments' replaces it."""
_COUNTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx, re.I))
    for name, rx in (
        (
            "supervised_assessments",
            _NUMBER + r"\s+" + _MORE + r"(?:supervised\s+|guided\s+)?(?:met\s+)?assess?ments?\b"
            r"|(?:supervised|met)\s+assessments\s*(?:is|are|:|to|at)?\s*(?:now\s+)?" + _NUMBER,
        ),
        (
            "chronic_clients_managed",
            _NUMBER + r"\s+" + _MORE
            + r"(?:chronic|post-rehab|chronic or post-rehab|chronic/post-rehab)"
            r"(?:[\w\s/-]{0,25}?)clients",
        ),
        (
            "documented_sessions",
            _NUMBER + r"\s+" + _MORE + r"(?:documented|logged)\s+sessions|documented\s+" + _NUMBER
            + r"\s+sessions|" + _NUMBER + r"\s+sessions\s+(?:documented|logged)",
        ),
        (
            "referral_partners",
            _NUMBER + r"\s+" + _MORE
            + r"(?:referral\s+partners|referring\s+(?:physicians|providers|partners|"
            r"doctors)|(?:healthcare\s+)?professionals\s+in\s+my\s+(?:referral\s+)?network)",
        ),
    )
)  # fmt: skip
_MONTHS = re.compile(
    r"\b" + _NUMBER + r"\s+(months?|years?)\s+(?:in|of)\s+practice|"
    r"\bpractic(?:ing|ed)\s+(?:for\s+)?" + _NUMBER + r"\s+(months?|years?)|"
    r"\b(?:i'?m|i am|i'?ve been|been)\s+" + _NUMBER + r"\s+(months?|years?)\s+in\b",
    re.I,
)  # fmt: skip
_ALL_SKILLS = re.compile(
    r"\ball\s+(?:of\s+)?(?:the\s+|my\s+)?(essential|intermediate|advanced)(?:[- ]tier)?\s+skills\b",
    re.I,
)
_SKILL = re.compile(r"\b([EIA])(\d{2})\b(?:\s*(?:-|–|to|through)\s*\1?(\d{2})\b)?", re.I)
_SKILL_VERB = re.compile(r"\b(completed?|finished|done|signed off|passed|mastered)\b", re.I)
_TIER = re.compile(
    r"\b(?:i'?m|i am|i'?ve reached|i have reached|now)\s+(?:at\s+|in\s+|on\s+)?(?:the\s+)?"
    r"(essential|intermediate|advanced)\b",
    re.I,
)
_NAME = re.compile(r"\bmy name is\s+([A-Z][a-z'’\-]+(?:\s+[A-Z][a-z'’\-]+)?)")
_FIRST_PERSON = re.compile(r"\b(i|i'?ve|i'?m|my|me)\b|^\s*(?:please\s+)?add\b", re.I)


@dataclass(frozen=True)
class AllSkills:
    """Every skill of a tier ("I've got all the essential skills signed off")."""

    tier: str


@dataclass(frozen=True)
class Increment:
    """A count to add to the one on file ("I did 5 more assessments")."""

    by: int


def _skill_ids(text: str) -> list[str]:
    ids: list[str] = []
    for m in _SKILL.finditer(text):
        letter, start = m[1].upper(), int(m[2])
        end = int(m[3]) if m[3] else start
        ids += [f"{letter}{n:02d}" for n in range(start, min(end, start + 30) + 1)]
    return ids


def resolve_increments(changes: dict[str, Any], current: Any) -> dict[str, Any]:
    """The changes with each Increment added to the count on file (`current`'s attribute)."""
    return {
        key: getattr(current, key) + value.by if isinstance(value, Increment) else value
        for key, value in changes.items()
    }


def read_profile_changes(message: str) -> dict[str, Any]:
    """Profile fields a first-person message states; {} when it states none."""
    if not _FIRST_PERSON.search(message):
        return {}
    changes: dict[str, Any] = {}
    for name, rx in _COUNTS:
        m = rx.search(message)
        if m:
            number, *rest = [g for g in m.groups() if g]
            changes[name] = Increment(int(number)) if rest else int(number)
    months = _MONTHS.search(message)
    if months:
        number = int(months[1] or months[3] or months[5])
        unit = (months[2] or months[4] or months[6]).lower()
        changes["months_in_practice"] = number * 12 if unit.startswith("year") else number
    if _SKILL_VERB.search(message):
        skills = _skill_ids(message)
        every = _ALL_SKILLS.search(message)
        if skills:
            changes["skills_completed"] = skills
        elif every:
            changes["skills_completed"] = AllSkills(every[1].lower())
    tier = _TIER.search(message)
    if tier:
        changes["current_tier"] = tier[1].lower()
    named = _NAME.search(message)
    if named:
        changes["name"] = named[1]
    return changes
