"""Output checks: what an assistant reply must not say, and numbers it must not invent."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from guardrails.decision import Issue
from guardrails.normalize import normalize
from guardrails.numbers import unsupported_figures
from guardrails.policy import RESPONSES_FILE
from guardrails.rules import sentence_pattern as _rx
from guardrails.rules import vocabulary

MED = vocabulary("med")
CONDITION_NOUN = vocabulary("condition_noun")
LAB = vocabulary("lab")

_SENTENCE_END = re.compile(
    r"(?<!\bdr)(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bvs)(?<!\d)[.!?](?=\s|$)|\n+"
)
_NEGATED = _rx(
    r"\b(not|never|don'?t|do not|doesn'?t|avoid|whether|if|ask|asking|physician|doctor|"
    r"prescriber|pharmacist|without)\b"
)

_DOSE_AMOUNT = _rx(
    r"\b\d+(\.\d+)?\s?(mg|mcg|µg|milligrams?|micrograms?|units?|iu|ml|tablets?|pills?|capsules?|"
    r"puffs?|drops?)\b"
)
_DOSE_CONTEXT = _rx(
    r"\b(take|takes|taking|inject|injecting|dose|dosage|daily|twice|once|times a day|every \d+ "
    r"hours?|bid|tid|qid|prn|before (bed|meals?|exercise|the session)|with (food|meals?))\b|"
    r"\b(" + MED + r")\b"
)
_MED_CHANGE = _rx(
    r"\b(increase|decrease|reduce|raise|lower|double|halve|stop|skip|hold|start|adjust|cut "
    r"(back|down)?|switch|discontinue|come off|go off)\b (her|his|their|your|the client'?s|the)? ?"
    r"(\w+ ){0,2}(" + MED + r")\b"
)
_DIAGNOSIS = _rx(
    r"\b(sounds like|looks like|consistent with|suggestive of|indicative of|suggests|indicates|"
    r"points to|is probably|is likely|likely has|probably has|may have|might have|could have|"
    r"appears to (have|be)|seems to (have|be)|i suspect|i think (she|he|they|it|you)|"
    r"(you|she|he|they|the client) (have|has) (a |an )?(torn|tear|fracture))\b"
    r"{S}{0,40}\b(" + CONDITION_NOUN + r")\b|\b(diagnosis|dx)\s*(:|is|would be)\s"
)
_INTERPRETATION = _rx(
    r"\b(" + LAB + r")\b{S}{0,40}\b(is|are|was|were|looks?|seems?|indicates?|shows?|"
    r"suggests?|means?)\b{S}{0,20}\b(normal|abnormal|high|low|elevated|fine|ok|okay|"
    r"concerning|dangerous|within (the )?(normal )?range|healthy|too high|too low|good|bad|"
    r"nothing to worry)\b|\b(your|her|his|their|this|the) (" + LAB + r")\b{S}{0,30}"
    r"\bmeans? (that )?(she|he|they|you|it)\b"
)
_THERAPY = _rx(
    r"\b(my|our|your|this|these|the) (medical )?(exercise |movement |corrective |fitness |"
    r"training )?(therapy|treatment)( session| sessions| program| plan| services?| package)?\b|"
    r"\b(exercise|movement|corrective|fitness) (therapy|therapist|treatments?)\b|"
    r"\b(i|we) (treat|will treat|can treat|provide therapy|offer therapy|provide treatment|"
    r"offer treatment)\b|\bas (your|her|his|their) (exercise )?therapist\b|"
    r"\btreatment sessions?\b"
)
_THERAPY_OK = _rx(
    r"\b(physical|occupational|massage|respiratory|speech|radiation|hormone|drug|talk|"
    r"manual|cognitive|medical|cancer|physician'?s|doctor'?s|surgical) (therapy|therapist|"
    r"treatment)"
)


@lru_cache(maxsize=4)
def _messages(path: Path = RESPONSES_FILE) -> dict[str, str]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): " ".join(str(v).split()) for k, v in data["output_issues"].items()}


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        parts.append(text[start : match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def _therapy_language(sentence: str) -> bool:
    for match in _THERAPY.finditer(sentence):
        window = sentence[max(0, match.start() - 15) : match.end()]
        if not _THERAPY_OK.search(window):
            return True
    return False


def _dosing(sentence: str) -> bool:
    if _DOSE_AMOUNT.search(sentence) and _DOSE_CONTEXT.search(sentence):
        return True
    for match in _MED_CHANGE.finditer(sentence):
        if not _NEGATED.search(sentence[max(0, match.start() - 40) : match.start()]):
            return True
    return False


def check_output(text: str, sources: Iterable[str] | None = None) -> list[Issue]:
    """Problems in an assistant reply: clinical statements, therapy wording, invented numbers."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, not {type(text).__name__}")
    messages = _messages()
    issues: list[Issue] = []
    checks = (
        ("dosing", _dosing),
        ("diagnosis", lambda s: bool(_DIAGNOSIS.search(s))),
        ("interpretation", lambda s: bool(_INTERPRETATION.search(s))),
        ("therapy_language", _therapy_language),
    )
    for sentence in _sentences(text):
        lowered = normalize(sentence).variants[0]
        for kind, check in checks:
            if check(lowered):
                issues.append(Issue(kind, sentence, messages[kind]))
    if sources is not None:
        for figure in unsupported_figures(text, list(sources)):
            issues.append(Issue("unsupported_number", figure.raw, messages["unsupported_number"]))
    return issues
