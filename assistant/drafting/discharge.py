"""Checks on a discharge summary: a stated reason that contradicts the goals on file."""

from __future__ import annotations

import re

from assistant.drafting import catalog
from assistant.drafting.facts import Facts
from assistant.drafting.options import DraftOptions
from assistant.drafting.safety import negated

_DONE = r"(?:met|achieved|reached|attained|accomplished|completed)"
_BETWEEN = (
    r"(?:\s*(?:were|was|have|has|been|are|is|all|now|fully|each|every|successfully|[:\-–—]))*"
)
_GOALS_MET = re.compile(
    rf"\bgoal(?:s|\(s\))?{_BETWEEN}\s*{_DONE}\b"
    rf"|\b{_DONE}\s+(?:(?:all|every|each)\s+)?(?:(?:of\s+)?(?:her|his|their|the|its)\s+)?"
    r"(?:\d+\s+)?goal(?:s|\(s\))?\b",
    re.I,
)
_ONLY_SOME = re.compile(
    r"\b(?:some|most|several|few|none|part(?:ly|ially)?|\d+ of(?: the)?)\s+"
    r"(?:of\s+)?(?:(?:the|her|his|their)\s+)?$",
    re.I,
)
_NEVER = re.compile(r"\b(?:never|\w+n['’]t)\s+(?:\w+\s+){0,3}$", re.I)
"""'She never really met her goals', 'hasn't met her goals' (the shared negation is narrower)."""
_IN_PART = re.compile(
    r"^\s*(?:[,(]\s*)?(?:in part|partly|partially|mostly|in the main|\d+\s*(?:of|/)\s*\d+)\b",
    re.I,
)
"""'goals met, partially', 'goals met (mostly)', 'goals: met 2 of 4'."""
_DESCRIBED = re.compile(r"^\s+(?!and\b|so\b|as\b|by\b|on\b|in\b|at\b)[a-z]", re.I)
"""After 'goal:', 'achieved walking w/o cane' describes a goal rather than saying it was met."""

def says_goals_met(reason: str) -> bool:
    """True when a discharge reason states that the goals were met ("goals met", "achieved all
    her goals"), not negated and not only some of them."""
    return any(
        not negated(reason, m.start())
        and not _ONLY_SOME.search(reason[: m.start()])
        and not _NEVER.search(reason[: m.start()])
        and not _IN_PART.search(reason[m.end() :])
        and not (":" in m[0] and _DESCRIBED.match(reason[m.end() :]))
        for m in _GOALS_MET.finditer(reason)
    )


def discharge_warnings(facts: Facts, options: DraftOptions) -> list[str]:
    """A warning when the discharge reason says the goals were met but goals on file are not
    marked met."""
    open_goals = [g for g in facts.goals if g.status != "met"]
    if not (open_goals and says_goals_met(options.discharge_reason or "")):
        return []
    msgs = catalog.messages()
    listed = "; ".join(f"{g.text} ({msgs['goal_status'][g.status].lower()})" for g in open_goals)
    return [msgs["warnings"]["goals_met_reason"].format(goals=listed)]
