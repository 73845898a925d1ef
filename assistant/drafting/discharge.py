"""Checks on a discharge summary: a stated reason that contradicts the goals on file."""

from __future__ import annotations

import re

from assistant.drafting import catalog
from assistant.drafting.facts import Facts
from assistant.drafting.options import DraftOptions
from assistant.drafting.safety import negated

_DONE = r"(?:met|achieved|reached|attained|accomplished|completed)"
_BETWEEN = r"(?:\s*(?:were|was|have|has|been|are|is|all|now|fully|each|every|[:\-]))*"
_GOALS_MET = re.compile(
    rf"\bgoals?{_BETWEEN}\s*{_DONE}\b"
    rf"|\b{_DONE}\s+(?:(?:all|every|each)\s+)?(?:(?:of\s+)?(?:her|his|their|the|its)\s+)?goals?\b",
    re.I,
)
_ONLY_SOME = re.compile(
    r"\b(?:some|most|several|few|none|part(?:ly|ially)?|\d+ of(?: the)?)\s+"
    r"(?:of\s+)?(?:(?:the|her|his|their)\s+)?$",
    re.I,
)
_NEVER = re.compile(r"\bnever\s+(?:\w+\s+)?$", re.I)
"""'She never met her goals', 'goals were never met' (the shared negation leaves 'never' out)."""
_IN_PART = re.compile(r"^\s*(?:in part|partly|partially|mostly|in the main)\b", re.I)

def says_goals_met(reason: str) -> bool:
    """True when a discharge reason states that the goals were met ("goals met", "achieved all
    her goals"), not negated and not only some of them."""
    return any(
        not negated(reason, m.start())
        and not _ONLY_SOME.search(reason[: m.start()])
        and not _NEVER.search(reason[: m.start()])
        and not _IN_PART.search(reason[m.end() :])
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
