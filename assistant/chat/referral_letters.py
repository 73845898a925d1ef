"""A referral letter pasted into the chat, read as the case facts it gives: the client from
"Re:" or "Patient:", the physician and specialty from the signature, the labelled diagnosis,
precautions and goals, and the limits the letter sets. A letter is never read as a session:
its dates are the surgery's or the letter's, and its figures are the physician's limits."""

from __future__ import annotations

import re

from assistant.chat.casenotes import _ICD, CaseFacts, _Text, read_specialty
from assistant.chat.limitnotes import read_limits

_CLOSING = re.compile(
    r"^[ \t]*(?:kind(?:est)? regards|best regards|warm regards|regards|(?:yours )?sincerely|"
    r"yours (?:sincerely|faithfully|truly)|yours|respectfully|best wishes|many thanks|"
    r"with thanks|thanks|thank you|best)(?![ \t]+for\b)[,.!]?(?:[ \t]+[^\n]{0,60})?[ \t]*$",
    re.I | re.M,
)
"""A closing line, possibly with the signature on it ("Regards, Dr. Alan Patel"); "Thank you
for seeing her." is a sentence of the body."""
_OPENING = re.compile(
    r"^\s*(?:dear\b|to whom it may concern|re\s*:|patient\b[^:\n]{0,10}:|referral\b)",
    re.I | re.M,
)
_WORD = r"[A-Z][A-Za-z'’\-]+"
"""A name word in a letter: "Patel", "O'Neil", also "ANN" in capitals."""
_NAME = _WORD + r"(?:[ \t]+" + _WORD + r"){1,2}"
_CREDENTIAL = r"(?:MD|DO|MBBS|MBChB|MB|BS|FRCS|FRCP|FRACP|FRACS|FACS|FACP|FACC|FAAOS|DPM)\b\.?"
_SIGNER = re.compile(
    r"^[ \t]*(?:(?:[A-Za-z ,]{0,30}),[ \t]*)?(?:(?:Dr|DR|Doctor)\.?[ \t]+(" + _NAME + r")"
    r"|(" + _NAME + r")(?=,?[ \t]*" + _CREDENTIAL + r"))",
    re.M,
)
"""The signing physician: "Dr. Alan Patel" or "Priya Raman, MD" (a credential is needed, so a
practitioner's "Sarah Jones, AEP" or a clinic's name is not taken for a doctor)."""
_PATIENT = re.compile(
    r"^[ \t]*(?i:re|patient(?:['’]s)?(?:[ \t]+name)?|client(?:[ \t]+name)?|name|pt)[ \t]*[:\-]"
    r"[ \t]*(?i:referral (?:for|of)[ \t]+)?(?:(?:Mrs|Mr|Ms|Mx|Miss)\.?[ \t]+)?(" + _NAME + r")"
    r"|\b(?i:refer(?:ring|red)?[ \t]+(?:my[ \t]+patient[ \t]+|our[ \t]+patient[ \t]+)?)"
    r"(?:Mrs|Mr|Ms|Mx|Miss)\.?[ \t]+(" + _NAME + r")",
    re.M,
)
_NOT_A_NAME = re.compile(
    r"\b(?i:referral|exercise|letter|program|programme|clearance|request|update|consult|"
    r"consultation|physiotherapy|therapy|dob|date)\b"
)
_NONE = re.compile(r"^(?:none|nil|n/?a|no(?:ne)? known|not applicable|no precautions?)$", re.I)
_FIELD = r"^\s*(?:{names})\s*[:\-]\s*(.+)$"
_DIAGNOSIS = re.compile(
    _FIELD.format(names=r"diagnos[ie]s|dx|reason for referral|indication|condition"), re.I | re.M
)
_PRECAUTIONS = re.compile(
    _FIELD.format(names=r"precautions?|restrictions?|contraindications?"), re.I | re.M
)
_GOALS = re.compile(_FIELD.format(names=r"goals?|aims?"), re.I | re.M)
_ITEMS = re.compile(r"\s*;\s*|\s*,\s*(?=(?:and\s+)?(?:no|avoid|not|don'?t|do not|never)\b)", re.I)
MIN_CHARS = 150
MAX_CHARS = 8000
"""A letter is read from its first MAX_CHARS characters."""


def looks_like_a_letter(message: str) -> bool:
    """A pasted letter: several lines, a salutation or "Re:", and a closing or signature."""
    lines = [line for line in message.splitlines() if line.strip()]
    return (
        len(message) >= MIN_CHARS
        and len(lines) >= 4
        and bool(_OPENING.search(message))
        and bool(_CLOSING.search(message))
    )


def read_referral_letter(message: str) -> CaseFacts | None:
    """The case facts of a pasted referral letter; None when the message is no letter."""
    if not looks_like_a_letter(message):
        return None
    text = message[:MAX_CHARS]
    facts = CaseFacts(from_letter=True)
    for patient in _PATIENT.finditer(text):
        name = patient[1] or patient[2]
        if not _NOT_A_NAME.search(name):
            facts.client = name.title() if name.isupper() else name  # "RE: ANN WU"
            break
    closing = _CLOSING.search(text)
    signature = text[closing.start() :] if closing else ""
    signer = _SIGNER.search(signature)
    if signer:
        facts.physician, facts.physician_stated = f"Dr. {signer[1] or signer[2]}", True
        facts.specialty = read_specialty(_Text(signature[signer.end() : signer.end() + 200]))
    diagnosis = _DIAGNOSIS.search(text)
    if diagnosis:
        value = diagnosis[1]
        icd = _ICD.search(value)
        if icd:
            facts.icd10 = icd[1].upper()
            value = value[: icd.start()] + value[icd.end() :]
        facts.diagnosis = _tidy(value) or None
    facts.precautions = _items(_PRECAUTIONS.search(text))
    facts.goals = _items(_GOALS.search(text))
    body = text[: closing.start()] if closing else text
    facts.limits, _ = read_limits(body, referral=True, letter=True)
    return facts


def _items(found: re.Match[str] | None) -> list[str]:
    if not found:
        return []
    items = [_tidy(part) for part in _ITEMS.split(found[1])]
    kept = [item for item in items if len(item) > 2 and not _NONE.match(item)]
    return [item[:1].upper() + item[1:] for item in kept][:10]


def _tidy(value: str) -> str:
    """Without empty brackets (a code taken out) and the sentence's end."""
    value = re.sub(r"\(\s*\)", "", value)
    return re.sub(r"\s+([,;])", r"\1", " ".join(value.split())).strip(" ,;:.-")
