"""Checks the rails call by name (`check:<name>`): what a regular expression cannot decide alone."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from guardrails import prefilter
from guardrails.typos import short_reply_with_typos

if TYPE_CHECKING:
    from guardrails.rules import Rail

_NON_LETTERS = re.compile(r"[^a-z]+")
_BP = re.compile(r"\b(\d{2,3})\s*/\s*(\d{2,3})\b")
_NUMBER = r"(\d{2,3}(?:\.\d)?)"
_NOT_A_RATE = r"(?!\s*(?:%|/|mg|min\b|minutes|sec|s\b|lb|kg|years?))"
_HR = re.compile(
    r"\b(?:hr|heart ?rate|pulse|heart)\b[^.?!\n\d]{0,25}?" + _NUMBER + _NOT_A_RATE + "|"
    r"\b" + _NUMBER + r"\s*(?:bpm|beats (?:a|per) minute)\b"
)
_SPO2 = re.compile(
    r"\b(?:spo2|sp02|o2 sat\w*|sats?|saturation|oxygen(?: level| sat\w*)?|pulse ?ox\w*|o2)\b"
    r"[^.?!\n\d]{0,20}?" + _NUMBER + r"\s*%?"
)
_GLUCOSE = re.compile(
    r"\b(?:glucose|blood sugar|sugar|bg|bgl|bs|cbg|fingerstick|finger stick|glucometer|cgm|meter)"
    r"\b[^.?!\n\d]{0,25}?" + _NUMBER + r"(?!\s*(?:%|/|units|u\b|mg\b|g\b|grams|min))"
)
_LIMIT_WORDS = re.compile(
    r"\b(max|maximum|limit\w*|under|below|above|over|target|zone|cap|ceiling|keep|up to|stay|"
    r"no higher|no more|at least|goal|range|between|cleared|allowed|threshold|if|when|should)\W*$"
)


def _readings(pattern: re.Pattern[str], text: str) -> list[float]:
    """Numbers the pattern finds that are readings, not limits ("HR max 130", "keep it under")."""
    values: list[float] = []
    for match in pattern.finditer(text):
        index = next((i for i, g in enumerate(match.groups(), start=1) if g), None)
        if index is None:
            continue
        between = text[match.start() : match.start(index)]
        before = text[max(0, match.start() - 14) : match.start()]
        if _LIMIT_WORDS.search(between) or _LIMIT_WORDS.search(before):
            continue
        values.append(float(match.group(index)))
    return values


def vital_limits(knowledge_dir: Path) -> dict[str, Any]:
    """The default limits of knowledge_dir/thresholds.yaml that the vitals rule compares with."""
    path = knowledge_dir / "thresholds.yaml"
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read thresholds from {path}: {exc}") from exc
    bp = (data.get("blood_pressure") or {}).get("resistance_max") or {}
    glucose = data.get("blood_glucose_mg_dl") or {}
    limits: dict[str, Any] = {}
    if bp:
        limits["bp_max"] = {"systolic": int(bp["systolic"]), "diastolic": int(bp["diastolic"])}
    if glucose:
        limits["glucose_min"] = float(glucose.get("acceptable_min", 90))
        limits["glucose_high"] = float(glucose.get("physician_guidance_at_or_above", 240))
    return limits


@lru_cache(maxsize=1)
def _demand_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    from guardrails.rules import compile_pattern, load_vocab

    vocab = load_vocab()
    return (
        compile_pattern("{demand}", vocab),
        compile_pattern("{reported}", vocab),
        compile_pattern("{demand_content}", vocab),
    )


def demands_answer(text: str, rail: Rail | None = None) -> bool:
    """True when the text demands the clinical answer (not when it reports a client asking),
    or asks what that answer is in order to pass it on."""
    demand, reported, content = _demand_patterns()
    if content.search(text):
        return True
    for match in demand.finditer(text):
        if not reported.search(text[max(0, match.start() - 80) : match.start()]):
            return True
    return False


def bp_very_high(text: str, rail: Rail) -> bool:
    """A blood pressure at crisis level, above the default resistance limit with symptoms, or
    very low with symptoms."""
    if not rail.patterns["bp_context"].search(text):
        return False
    crisis = rail.settings["bp_crisis"]
    high = rail.settings.get("bp_max") or crisis
    low = rail.settings["bp_low_systolic"]
    symptoms = bool(rail.patterns["vital_symptoms"].search(text))
    for match in _BP.finditer(text):
        if _LIMIT_WORDS.search(text[max(0, match.start() - 14) : match.start()]):
            continue
        systolic, diastolic = int(match.group(1)), int(match.group(2))
        if not (50 <= systolic <= 300 and 20 <= diastolic <= 200 and systolic > diastolic):
            continue
        if systolic >= crisis["systolic"] or diastolic >= crisis["diastolic"]:
            return True
        over = systolic > high["systolic"] or diastolic > high["diastolic"]
        if (over or systolic < low) and symptoms:
            return True
    return False


def heart_rate_emergency(text: str, rail: Rail) -> bool:
    """A heart rate far out of range: very high, high at rest / low effort / irregular, or very
    low with symptoms."""
    limits = rail.settings["heart_rate"]
    context = bool(rail.patterns["low_effort_or_irregular"].search(text))
    symptoms = bool(rail.patterns["vital_symptoms"].search(text))
    for value in _readings(_HR, text):
        if not 20 <= value <= 260:
            continue
        if value >= limits["always"]:
            return True
        if value >= limits["with_context"] and (context or symptoms):
            return True
        if value <= limits["low_with_symptoms"] and symptoms:
            return True
    return False


def oxygen_emergency(text: str, rail: Rail) -> bool:
    """An oxygen saturation below the emergency bar."""
    bar = rail.settings["spo2_below"]
    return any(50 <= v < bar for v in _readings(_SPO2, text))


def glucose_emergency(text: str, rail: Rail) -> bool:
    """A glucose reading that is dangerously low, or high with symptoms (mg/dL)."""
    limits = rail.settings["glucose"]
    low_bar = rail.settings.get("glucose_min", limits["low_with_symptoms"])
    high_bar = rail.settings.get("glucose_high", limits["high_with_symptoms"])
    symptoms = bool(rail.patterns["glucose_symptoms"].search(text))
    for value in _readings(_GLUCOSE, text):
        if not 15 <= value <= 900:
            continue
        if value < limits["always_below"] or value >= limits["always_at_or_above"]:
            return True
        if symptoms and (value < low_bar or value >= high_bar):
            return True
    return False


def squashed_keywords(text: str, rail: Rail) -> bool:
    """Injection keywords written with separators between the letters."""
    return prefilter.search(rail.patterns["squashed"], _NON_LETTERS.sub("", text))


_SENTENCE_END = re.compile(r"[.?!;:](?!\d)")
_AGENT_GAP = re.compile(r"(?:'s)?((?:\s+[\w']+){0,3})\s*$")


def _agent_before(before: str, rail: Rail) -> bool:
    """A clinician is the subject right before the match: at most three words between them,
    none of them a person asking, a modal or a conjunction ("her GP has started", not "her GP
    is away so I want to stop")."""
    found = list(rail.patterns["clinician"].finditer(before))
    if not found:
        return False
    gap = _AGENT_GAP.fullmatch(before[found[-1].end() :])
    return gap is not None and not rail.patterns["not_the_agent"].search(gap.group(1))


def _reported(pattern: str, text: str, rail: Rail) -> bool:
    """True when every match of the rail's `pattern` reports what a clinician did ("her GP
    diagnosed her", "the endo has started him on insulin"): the clinician is the subject right
    before it, and neither the match nor the rest of its sentence asks anything. A demand for
    the clinical answer, or a question about changing "it" or "the dose", keeps the rule firing."""
    asking = rail.patterns["asks_me"]
    matches = list(rail.patterns[pattern].finditer(text))
    if not matches or demands_answer(text, rail) or rail.patterns["pronoun_ask"].search(text):
        return False
    for match in matches:
        end = _SENTENCE_END.search(text, match.end())
        rest = text[match.start() : end.start() if end else len(text)]
        before = text[max(0, match.start() - 60) : match.start()]
        if asking.search(rest) or not _agent_before(before, rail):
            return False
    return True


def diagnosis_reported(text: str, rail: Rail) -> bool:
    return _reported("diagnosis", text, rail)


def medication_change_reported(text: str, rail: Rail) -> bool:
    return _reported("medication_change", text, rail)


def labs_imaging_reported(text: str, rail: Rail) -> bool:
    return _reported("labs_imaging", text, rail)


_SIGNS = (
    "sign_chest", "sign_breath", "sign_blood", "sign_sweat", "sign_shaking", "sign_faint",
    "sign_confused", "sign_pain_severe", "sign_colour", "sign_arm_jaw", "sign_heat", "sign_fall",
    "sign_swelling", "sign_allergy", "sign_speech", "sign_one_side", "sign_vision",
)


def sign_cluster(text: str, rail: Rail) -> bool:
    """Two or more kinds of sign in one message (sweating and shaking, chest and pale)."""
    found = 0
    for name in _SIGNS:
        if rail.patterns[name].search(text):
            found += 1
            if found >= 2:
                return True
    return False


CHECKS: dict[str, Callable[[str, Rail], bool]] = {
    "demands_answer": demands_answer,
    "bp_very_high": bp_very_high,
    "heart_rate_emergency": heart_rate_emergency,
    "oxygen_emergency": oxygen_emergency,
    "glucose_emergency": glucose_emergency,
    "squashed_keywords": squashed_keywords,
    "diagnosis_reported": diagnosis_reported,
    "medication_change_reported": medication_change_reported,
    "labs_imaging_reported": labs_imaging_reported,
    "sign_cluster": sign_cluster,
    "short_reply_with_typos": short_reply_with_typos,
}
