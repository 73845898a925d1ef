"""Checks the rails call by name (`check:<name>`): what a regular expression cannot decide alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails.rules import Rail

_NON_LETTERS = re.compile(r"[^a-z]+")
_BP = re.compile(r"\b(\d{2,3})\s*/\s*(\d{2,3})\b")


@lru_cache(maxsize=1)
def _demand_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    from guardrails.rules import compile_pattern, load_vocab

    vocab = load_vocab()
    return compile_pattern("{demand}", vocab), compile_pattern("{reported}", vocab)


def demands_answer(text: str, rail: Rail | None = None) -> bool:
    """True when the text demands the clinical answer (not when it reports a client asking)."""
    demand, reported = _demand_patterns()
    for match in demand.finditer(text):
        if not reported.search(text[max(0, match.start() - 80) : match.start()]):
            return True
    return False


def bp_very_high(text: str, rail: Rail) -> bool:
    """A blood-pressure reading at an emergency level (or high with symptoms)."""
    if not rail.patterns["bp_context"].search(text):
        return False
    for match in _BP.finditer(text):
        systolic, diastolic = int(match.group(1)), int(match.group(2))
        if not (70 <= systolic <= 300 and 30 <= diastolic <= 200 and systolic > diastolic):
            continue
        if systolic >= 200 or diastolic >= 120 or (systolic >= 180 and diastolic >= 110):
            return True
        if (systolic >= 180 or diastolic >= 110) and rail.patterns["bp_signs"].search(text):
            return True
    return False


def squashed_keywords(text: str, rail: Rail) -> bool:
    """Injection keywords written with separators between the letters."""
    return bool(rail.patterns["squashed"].search(_NON_LETTERS.sub("", text)))


CHECKS: dict[str, Callable[[str, Rail], bool]] = {
    "demands_answer": demands_answer,
    "bp_very_high": bp_very_high,
    "squashed_keywords": squashed_keywords,
}
