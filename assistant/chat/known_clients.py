"""A stored client typed in lowercase ("session for linda today", "progress summary for tom
reyes") is read as that client: the name is written as stored before the case notes are read."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.chat.casenotes import read_client

_CUE_BEFORE = re.compile(
    r"(?:\b(?:for|with|of|client|pt|patient|about|to|saw|see|seen)\s+|^\s*)$", re.I
)
_CUE_AFTER = re.compile(r"^(?:['’]s\b|\s*:)")
_DOCTOR_BEFORE = re.compile(r"\b(?:dr|doctor)\.?\s*$", re.I)
MAX_NAMES = 2000
"""Only so many stored names are looked for in one message."""


def with_known_client(text: str, names: Sequence[str]) -> str:
    """`text` with the first stored client it names written as stored; unchanged when the case
    notes already read a client. A full name counts anywhere; a first name (unique among the
    stored clients, three letters or more) only after "for", "with", "client"... or before "'s"
    or ":" ("tom's chair stand", "linda: BP 130/80")."""
    if read_client(text) or not names:
        return text
    names = list(names)[:MAX_NAMES]
    for name in sorted(names, key=len, reverse=True):
        for m in _word(name).finditer(text):
            if not _DOCTOR_BEFORE.search(text[: m.start()]):
                return text[: m.start()] + name + text[m.end() :]
    by_first: dict[str, list[str]] = {}
    for name in names:
        by_first.setdefault(name.split()[0].lower(), []).append(name)
    for first, full in by_first.items():
        if len(full) != 1 or len(first) < 3:
            continue
        for m in _word(first).finditer(text):
            before, after = text[: m.start()], text[m.end() :]
            if _DOCTOR_BEFORE.search(before):
                continue
            if _CUE_BEFORE.search(before) or _CUE_AFTER.match(after):
                return before + full[0] + after
    return text


def _word(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’.-])" + re.escape(words) + r"(?![\w-])", re.I)
