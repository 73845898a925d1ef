"""Reading the physician's exercise limits out of a message.

"her physician's limits: BP up to 150/95, HR max 120, glucose 100 to 250, SpO2 at or above 88%"
-> {"bp_max": "150/95", "hr_max": 120, "glucose_min": 100, "glucose_max": 250, "spo2_min": 88}.
Only a message that speaks of limits or of the physician ("limits", "her cardiologist", "cleared",
"keep him under") gives limits, and a number is a limit only when words of a limit stand between
the vital sign and it ("up to", "under", "max", "at or above") or it is a glucose range ("100 to
250"). Everything else stays a session reading.
"""

from __future__ import annotations

import re
from typing import Any

_UPPER = (
    r"(?:(?:limit(?:ed)?|max(?:imum)?|cap(?:ped)?|ceiling)(?:\s?(?:of|to|at|is|:|-))?"
    r"(?:\s(?:up to|under|below))?|up to|under|below|less than|no (?:more|higher) than|"
    r"not (?:above|over|to exceed)|<=?|≤)"
)
_LOWER = (
    r"(?:(?:must|should|to|has to)\s)?(?:(?:stay|be|remain|kept)\s)?"
    r"(?:at or above|above|over|>=?|≥|not below|no lower than|at least|min(?:imum)?(?:\sof)?)"
)
# Each gap between words is one optional \s, so matching stays linear in the message length.
_BP = re.compile(
    r"\b(?:bp|blood pressure)\s?" + _UPPER + r"\s?(\d{2,3})\s?/\s?(\d{2,3})\b"
    r"|\b(?:max(?:imum)?|limit)\s(?:bp|blood pressure)(?:\s?(?:of|is|:|to|at))?\s?"
    r"(\d{2,3})\s?/\s?(\d{2,3})\b",
    re.I,
)
_HR = re.compile(
    r"\b(?:hr|heart rate|pulse)\s?" + _UPPER + r"\s?(\d{2,3})\b(?!\s?/)"
    r"|\b(?:max(?:imum)?|limit)\s(?:hr|heart rate)(?:\s?(?:of|is|:|to|at))?\s?(\d{2,3})\b(?!\s?/)",
    re.I,
)
_SPO2 = re.compile(
    r"\b(?:spo2|sp02|sats?|o2 sat\w*|oxygen saturation|saturation)\s?" + _LOWER
    + r"\s?(\d{2})\s?%?",
    re.I,
)
_SPO2_STOP = re.compile(
    r"\bstop (?:if|when|at)\s?(?:spo2|sp02|sats?|o2 sat\w*|oxygen saturation|saturation)\s?"
    r"(?:drops?\s|falls?\s|goes\s|is\s)?(?:below|under|<)\s?(\d{2})\s?%?",
    re.I,
)
"""A lower SpO2 limit said as when to stop ("stop if SpO2 under 92")."""
_GLUCOSE = re.compile(
    r"\b(?:blood\s)?(?:glucose|sugar|bg)(?:\s?(?:limits?|range|between|:|of|is))*\s?"
    r"(\d{2,3})\s?(?:-|–|to)\s?(\d{2,3})\b(?!\s?/)",
    re.I,
)
_PHYSICIAN_CUE = re.compile(
    r"\b(limits?|physician'?s?|doctor'?s?|dr\.?|\w+ologist'?s?|gp'?s?|surgeon'?s?|cleared|"
    r"clearance|precautions?|cap|ceiling|keep (?:her|his|their|him|them|it)|must stay|"
    r"not to exceed)\b",
    re.I,
)
_KEEP = re.compile(
    r"(?:^|[:;,.(]|\b(?:says?|said|wants?|advised?|advises|ordered|asks?|asked)\s)\s*"
    r"(?:to\s)?keep\s+(?:(?:her|his|their|the)\s)?(?:hr|heart rate|pulse|bp|blood pressure|"
    r"sats?|spo2|glucose|sugars?)\b",
    re.I,
)
"""An instruction ("Ann Wu: keep HR under 120", "the office says keep BP under 160/100"), not an
effort ("she struggled to keep HR under 130")."""
_NOT_LIMITS = re.compile(
    r"\b(session|today|yesterday|before|after|during|throughout|sets?|reps?|\d+\s?[x×]\s?\d+|"
    r"no limits?|limits? (?:will|to) (?:come|follow)|(?:will|to) send (?:the )?limits|"
    r"means stop|stop if (?:bp|blood pressure|hr|heart rate|pulse|glucose|sugar|bg)\b|"
    r"below \d{2,3}/\d{2,3})\b",
    re.I,
)
"""A session's readings, limits still to come, or a stop-below threshold: no limits read."""
MAX_CHARS = 600
"""Limits are read from a short statement's first characters only."""


def read_limits(
    text: str, referral: bool = False, letter: bool = False
) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    """The limits `text` gives and the character spans they were read from. A message stating
    the referral ("referred by Dr. Kim (cardiology). HR max 120") speaks of the physician even
    after the name was read out of `text`; a physician's `letter` is all limits, no session
    ("keep HR below 120 during exercise"), and is read whole."""
    limits: dict[str, Any] = {}
    spans: list[tuple[int, int]] = []
    text = text if letter else text[:MAX_CHARS]
    cue = referral or _PHYSICIAN_CUE.search(text) or _KEEP.search(text)
    if not cue or (not letter and _NOT_LIMITS.search(text)):
        return limits, spans  # "max HR 162" in a session is a reading, not a limit
    m = _BP.search(text)
    if m:
        systolic, diastolic = (int(g) for g in (m[1] or m[3], m[2] or m[4]))
        if 80 <= systolic <= 250 and 40 <= diastolic < systolic:
            limits["bp_max"] = f"{systolic}/{diastolic}"
            spans.append(m.span())
    m = _HR.search(text)
    if m and 60 <= int(m[1] or m[2]) <= 220:
        limits["hr_max"] = int(m[1] or m[2])
        spans.append(m.span())
    m = _SPO2.search(text) or _SPO2_STOP.search(text)
    if m and 70 <= int(m[1]) <= 100:
        limits["spo2_min"] = int(m[1])
        spans.append(m.span())
    m = _GLUCOSE.search(text)
    if m:
        low, high = int(m[1]), int(m[2])
        if 40 <= low < high <= 600:
            limits["glucose_min"], limits["glucose_max"] = low, high
            spans.append(m.span())
    return limits, spans
