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
    if read_client(text):
        return text
    found = _find(text, names)
    if found is None:
        return text
    (start, end), name = found
    return text[:start] + name + text[end:]


def named_client(text: str, names: Sequence[str]) -> str | None:
    """The stored client `text` names, by the rules of `with_known_client`."""
    found = _find(text, names)
    return found[1] if found else None


def _find(text: str, names: Sequence[str]) -> tuple[tuple[int, int], str] | None:
    """Where `text` names a stored client, and the name as stored."""
    if not names:
        return None
    names = list(names)[:MAX_NAMES]
    for name in sorted(names, key=len, reverse=True):
        for m in _word(name).finditer(text):
            if not _DOCTOR_BEFORE.search(text[: m.start()]):
                return m.span(), name
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
                return m.span(), full[0]
    return None


def _word(words: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’.-])" + re.escape(words) + r"(?![\w-])", re.I)
