"""What is on file for a client, said back when the practitioner asks ("what precautions does
Ann Wu have?", "show me Ann Wu's case"): read from the stored case, never from the framework."""

from __future__ import annotations

import re
from typing import Any

from assistant.chat.cases import limits_text
from assistant.chat.wording import replies
from assistant.models import ClientCase

FIELDS = (
    "referral", "diagnosis", "precautions", "limits", "goals", "sessions", "assessments", "consent"
)
_ASKED = {
    "referral": r"physician|doctor|dr|referr\w*|specialty|who sent",
    "diagnosis": r"diagnos\w*|dx|condition",
    "precautions": r"precautions?|restrictions?|contraindications?",
    "limits": r"limits?|ceilings?|caps?",
    "goals": r"goals?",
    "sessions": r"sessions?|visits?",
    "assessments": r"assessments?|outcome measures?|measures|tests?|scores?",
    "consent": r"consent|permission",
}
_FIELD_WORDS = re.compile(r"\b(" + "|".join(_ASKED.values()) + r")\b", re.I)
_WHOLE_CASE = re.compile(
    r"\b(case|file|record|records|details|info|information|profile|summary of|everything|"
    r"what (?:do )?(?:you|we) (?:have|know))\b",
    re.I,
)
_OPENING = re.compile(
    r"^\s*(?:(?:hey|hi|ok|okay|so|and|quick question)[,!.\s]+)?(?:(?:can|could|would) you\s+|"
    r"please\s+)?(?:show|list|tell me|remind me|give me|pull up|recap|what(?:'s|s| is| are| was|"
    r"were)?|which|who|any|do (?:you|we) have|does|did|is there|are there)\b",
    re.I,
)
_NOT_A_LOOKUP = re.compile(
    r"\b(should|shall|ask|asking|how|why|write|draft|letter|email|mean|means|safe|normal|okay|ok|"
    r"allowed|enough|need|needs|exercise|exercises|train|training|do i|can i|could i|would)\b",
    re.I,
)
"""A question about what to do or what something means is not a lookup of the file."""


def asks_on_file(message: str) -> bool:
    """Whether the message asks what is recorded for a client (a lookup, no advice)."""
    if len(message) > 160 or not _OPENING.search(message) or _NOT_A_LOOKUP.search(message):
        return False
    return bool(_FIELD_WORDS.search(message) or _WHOLE_CASE.search(message))


def asked_fields(message: str) -> tuple[str, ...]:
    """The fields the message asks about; all of them for "what's on file", "her case"."""
    asked = tuple(f for f in FIELDS if re.search(r"\b(" + _ASKED[f] + r")\b", message, re.I))
    if _WHOLE_CASE.search(message) or not asked:
        return FIELDS
    return asked


def case_view(client: str, case: ClientCase | None, fields: tuple[str, ...]) -> str:
    """The reply: the asked fields that are recorded, then those that are not."""
    words: dict[str, Any] = replies()["case_view"]
    if case is None:
        return str(words["none"]).format(client=client)
    shown, missing = [], []
    for name in fields:
        value = _value(name, case, words)
        label = words["fields"][name]
        if value:
            shown.append(f"- **{label}**: {value}")
        else:
            missing.append(label[:1].lower() + label[1:])
    parts = []
    if shown:
        parts.append(words["heading"].format(client=client) + "\n\n" + "\n".join(shown))
    if missing:
        parts.append(words["missing"].format(client=client, fields=", ".join(missing)))
    parts.append(words["tail"].format(client=client))
    return "\n\n".join(parts)


def _value(name: str, case: ClientCase, words: dict[str, Any]) -> str:
    """One field as a line of text; "" when nothing is recorded."""
    match name:
        case "referral":
            ref = case.referral
            if not ref or not ref.physician:
                return ""
            extra = ", ".join(x for x in (ref.specialty, ref.date and ref.date.isoformat()) if x)
            return f"{ref.physician} ({extra})" if extra else ref.physician
        case "diagnosis":
            code = f" ({case.icd10})" if case.icd10 else ""
            return f"{case.diagnosis}{code}" if case.diagnosis else ""
        case "precautions":
            return "; ".join(case.precautions)
        case "limits":
            return limits_text(case.limits.model_dump(exclude_none=True)) if case.limits else ""
        case "goals":
            status = words["goal_status"]
            return "; ".join(
                g.text + (f" ({status[g.status]})" if g.status else "") for g in case.goals
            )
        case "sessions":
            if not case.sessions:
                return ""
            last = case.sessions[-1].date.isoformat()
            return str(words["last_session"]).format(count=len(case.sessions), date=last)
        case "assessments":
            return "; ".join(
                f"{a.measure} {a.value:g}{' ' + a.unit if a.unit else ''} ({a.date.isoformat()})"
                for a in case.assessments[-5:]
            )
        case "consent":
            if case.consent_on_file is None:
                return ""
            return str(words["consent_yes" if case.consent_on_file else "consent_no"])
    return ""
