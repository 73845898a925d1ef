"""Short replies with typos ("greaat thx heaps", "maek it shorter"): each unknown word of four
or more letters that is one edit away from exactly one word of the rail's short-reply patterns
is replaced by it, and those (anchored) patterns are tried again on the result.

Fails closed: a word written anywhere in the rails (take, cure, dosing) is never folded, and
after folding every word must be one the short-reply patterns use ("take it with her insulin"
is not "make it …")."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from guardrails.rules import Rail

MAX_CHARS = 60
"""Longer messages are never folded: only a whole short reply can be evidence."""
MIN_LETTERS = 4
_WORD = re.compile(r"[a-z]+")


def one_edit_apart(a: str, b: str) -> bool:
    """True when `b` is `a` with one letter changed, added, removed, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


PROTECTED = "typo_protected"
"""The rail setting holding the words that are never folded: every word of every rail's
patterns (`guardrails.rules.Rails` fills it in once, from the rails it loaded)."""


def words(sources: Iterable[str]) -> frozenset[str]:
    """Every run of letters in `sources`."""
    return frozenset(w for source in sources for w in _WORD.findall(source))


@lru_cache(maxsize=8)
def _known(sources: tuple[str, ...]) -> frozenset[str]:
    return words(sources)


def folded(
    text: str, lexicon: frozenset[str], protected: frozenset[str] = frozenset()
) -> str | None:
    """`text` with its near-miss words replaced, or None when no word changed. Words of fewer
    than four letters, words of `lexicon` and `protected` words are kept as they are."""
    changed = False
    targets = [w for w in lexicon if len(w) >= MIN_LETTERS]

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        if len(word) < MIN_LETTERS or word in lexicon or word in protected:
            return word
        near = [w for w in targets if one_edit_apart(word, w)]
        if len(near) != 1:
            return word
        changed = True
        return near[0]

    result = _WORD.sub(fix, text)
    return result if changed else None


def short_reply_with_typos(text: str, rail: Rail) -> bool:
    """A short message that one of the rail's `typo_patterns` matches once its typos are fixed."""
    protected = rail.settings.get(PROTECTED)
    if len(text) > MAX_CHARS or protected is None:  # a rail loaded alone knows no rail words
        return False
    names = tuple(rail.settings.get("typo_patterns", ()))
    patterns = [rail.patterns[name] for name in names]
    known = _known(tuple(p.pattern for p in patterns))
    fixed = folded(text, known, protected)
    if fixed is None or any(w not in known for w in _WORD.findall(fixed)):
        return False
    return any(p.search(fixed) for p in patterns)
