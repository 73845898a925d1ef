"""Literal prefilter for the rail patterns: skip a regex search that cannot match.

`literals(pattern)` derives from the pattern's parse tree a set of strings such that every match
of the pattern contains at least one of them (required-factor analysis), or None when there is no
useful set. `search(pattern, text)` runs the regex only when the text contains one of them, so it
always answers exactly what `bool(pattern.search(text))` answers, only faster when nothing can
match.

The analysis, per sequence of nodes:
- a maximal run of nodes whose matched text comes from a small finite set of strings (literals,
  small character sets, branches and groups of such, bounded repeats of such; zero-width anchors
  and lookarounds count as the empty string) is one candidate: the set of the strings the run
  can match (if it cannot match the empty string). Only nodes that sit next to each other in the
  parse tree are joined, so `a+bc` requires "bc", not "abc";
- a group or an atomic group requires what its content requires;
- a branch requires the union of what its alternatives require, and nothing if one requires
  nothing;
- a repeat with a minimum of at least one requires what its body requires (min 0: nothing);
- any other node (`.`, negated or category sets, backreferences, conditionals) requires nothing;
- the sequence keeps its most selective candidate: the longest shortest string, then the fewest.

Literals are compared exactly as the regex compares them: a literal in a case-insensitive region
(`re.IGNORECASE`, `(?i)`, `(?i:...)`) is never used, so no case folding is involved and the
prefilter is exact for every text, ASCII or not (the rails compile case-sensitive patterns and
run them on lower-cased text; neither the text nor the literals need lower-casing here).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import product
from re import _compiler as _k  # type: ignore[attr-defined]  # re's own parser and compiler
from re import _constants as _c  # type: ignore[attr-defined]
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

MAX_LITERALS = 64
"""A pattern whose required set is larger than this gets no prefilter."""
MIN_LENGTH = 2
"""A pattern whose required set has a shorter string than this gets no prefilter."""
MAX_UNFILTERED = 2
"""A split leaves at most this many alternatives that are always searched."""
SHORT = 200
"""Texts shorter than this are searched directly: there the regex is as cheap as the checks."""
COVER_AT = 6
"""A required set of more strings than this is looked for through fewer, shorter pieces."""
COVER_LENGTH = 6
"""Length of those pieces: long enough to be rare in ordinary text."""
_MAX_SET = 8
"""Character sets of at most this many characters are expanded into strings."""
_MAX_REPEAT = 4
"""Repeats of at most this many times are expanded into strings."""

Strings = frozenset[str]
_EMPTY: Strings = frozenset({""})
_ZERO_WIDTH = {_c.AT, _c.ASSERT, _c.ASSERT_NOT}
_ATOMIC = getattr(_c, "ATOMIC_GROUP", None)
_REPEATS = {_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", _c.MAX_REPEAT)}


def _union(
    alternatives: Any, strings_of: Any, flags: int, limit: int | None
) -> frozenset[str] | None:
    """The strings of a branch: the union over its alternatives, None when one alternative has
    none (or the union grows past `limit`)."""
    union: set[str] = set()
    for alternative in alternatives:
        strings = strings_of(alternative, flags)
        if strings is None:
            return None
        union |= strings
        if limit is not None and len(union) > limit:
            return None
    return frozenset(union)


def _icase(flags: int, add: int = 0, delete: int = 0) -> bool:
    return bool((flags | add) & ~delete & re.IGNORECASE)


def _concat(left: Strings, right: Strings) -> Strings | None:
    if len(left) * len(right) > MAX_LITERALS:
        return None
    return frozenset(a + b for a, b in product(left, right))


def _set_chars(items: Any) -> Strings | None:
    """The characters of a character set made of literals and small ranges only."""
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL and isinstance(av, int):
            chars.add(chr(av))
        elif op is _c.RANGE and isinstance(av, tuple):
            low, high = av
            if high - low + 1 > _MAX_SET:
                return None
            chars.update(chr(c) for c in range(low, high + 1))
        else:  # NEGATE, CATEGORY, ...
            return None
        if len(chars) > _MAX_SET:
            return None
    return frozenset(chars)


def _node_strings(op: Any, av: Any, flags: int) -> Strings | None:
    """Every string one node can match, when that is a small finite set; else None."""
    if op in _ZERO_WIDTH:
        return _EMPTY
    if op is _c.LITERAL:
        return None if _icase(flags) else frozenset({chr(av)})
    if op is _c.IN:
        return None if _icase(flags) else _set_chars(av)
    if op is _c.SUBPATTERN:
        _group, add, delete, body = av
        return _seq_strings(body, (flags | add) & ~delete)
    if op is _c.BRANCH:
        return _union(av[1], _seq_strings, flags, MAX_LITERALS)
    if op in _REPEATS:
        low, high, body = av
        if high > _MAX_REPEAT:
            return None
        one = _seq_strings(body, flags)
        if one is None:
            return None
        total: set[str] = set()
        power: Strings = _EMPTY
        for count in range(high + 1):
            if count >= low:
                total |= power
            if count < high:
                longer = _concat(power, one)
                if longer is None:
                    return None
                power = longer
        return frozenset(total) if len(total) <= MAX_LITERALS else None
    return None


def _seq_strings(items: Any, flags: int) -> Strings | None:
    """Every string a whole sequence can match, when that is a small finite set; else None."""
    result: Strings = _EMPTY
    for op, av in items:
        strings = _node_strings(op, av, flags)
        longer = None if strings is None else _concat(result, strings)
        if longer is None:
            return None
        result = longer
    return result


def _score(strings: Strings | None) -> tuple[bool, int, int]:
    if not strings:
        return (False, -1, 0)
    shortest = min(len(s) for s in strings)
    usable = shortest >= MIN_LENGTH and len(strings) <= MAX_LITERALS
    return (usable, shortest, -len(strings))


def _best(candidates: list[Strings]) -> Strings | None:
    useful = [c for c in candidates if c and "" not in c]
    return max(useful, key=_score) if useful else None


def _node_required(op: Any, av: Any, flags: int) -> Strings | None:
    """Strings one of which every match of a node (that is not a small finite set) contains."""
    if op is _c.SUBPATTERN:
        _group, add, delete, body = av
        return _seq_required(body, (flags | add) & ~delete)
    if _ATOMIC is not None and op is _ATOMIC:
        return _seq_required(av, flags)
    if op is _c.BRANCH:
        return _union(av[1], _seq_required, flags, None)
    if op in _REPEATS:
        low, _high, body = av
        if low < 1:
            return None
        candidates = []
        one = _seq_strings(body, flags)
        if one is not None:
            power: Strings | None = one
            for _ in range(min(low, _MAX_REPEAT) - 1):
                power = _concat(power, one) if power is not None else None
            if power is not None:
                candidates.append(power)
        required = _seq_required(body, flags)
        if required is not None:
            candidates.append(required)
        return _best(candidates)
    return None


def _seq_required(items: Any, flags: int) -> Strings | None:
    """Strings one of which every match of a sequence contains (its most selective candidate)."""
    candidates: list[Strings] = []
    run: Strings | None = None
    for op, av in items:
        strings = _node_strings(op, av, flags)
        if strings is not None and run is not None:
            joined = _concat(run, strings)
            if joined is not None:
                run = joined
                continue
        if run is not None:
            candidates.append(run)
            run = None
        if strings is not None:
            run = strings
            continue
        required = _node_required(op, av, flags)
        if required is not None:
            candidates.append(required)
    if run is not None:
        candidates.append(run)
    return _best(candidates)


def _cover(strings: list[str]) -> list[str]:
    """Fewer strings to look for: pieces of COVER_LENGTH characters such that each of `strings`
    holds one (a text holding a string holds its pieces, so the check stays a necessary
    condition, only less selective), chosen greedily; `strings` when that is not fewer."""
    if len(strings) <= COVER_AT:
        return strings
    uncovered = set(strings)
    chosen: list[str] = []
    while uncovered:
        counts: Counter[str] = Counter()
        for s in uncovered:
            starts = range(max(1, len(s) - COVER_LENGTH + 1))
            counts.update({s[i : i + COVER_LENGTH] for i in starts})
        best = max(counts, key=lambda piece: (counts[piece], len(piece), piece))
        chosen.append(best)
        uncovered = {s for s in uncovered if best not in s}
    return sorted(chosen, key=lambda c: (len(c), c)) if len(chosen) < len(strings) else strings


def _minimal(strings: Strings, min_length: int = MIN_LENGTH) -> tuple[str, ...] | None:
    """The strings without those containing another one (a text holding it holds the other
    too), shortest first, then covered by fewer pieces (`_cover`); None when that is no useful
    prefilter."""
    kept: list[str] = []
    for s in sorted(strings, key=lambda s: (len(s), s)):
        if not any(k in s for k in kept):
            kept.append(s)
    if not kept or len(kept) > MAX_LITERALS or len(kept[0]) < min_length:
        return None
    return tuple(_cover(kept))


MAX_SOURCE = 12_000
"""Patterns longer than this (the language rail's vocabularies) are not analysed: their union of
required strings is never small enough to help, and the analysis took seconds at start-up."""


def _parse(pattern: re.Pattern[str]) -> tuple[Any, list[Any], int] | None:
    if not isinstance(pattern.pattern, str) or len(pattern.pattern) > MAX_SOURCE:
        return None
    parsed = _p.parse(pattern.pattern, pattern.flags)
    return parsed, list(parsed), parsed.state.flags


def analyse(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The required strings of `pattern`, or None when it has no useful prefilter."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    required = _seq_required(parsed[1], parsed[2])
    return None if required is None else _minimal(required)


_NO_SPLIT = {
    _c.GROUPREF,
    _c.GROUPREF_EXISTS,
    getattr(_c, "ATOMIC_GROUP", _c.GROUPREF),
    getattr(_c, "POSSESSIVE_REPEAT", _c.GROUPREF),
}


def _splittable(items: Any) -> bool:
    """No backreference, conditional, atomic group or possessive repeat anywhere."""
    for op, av in items:
        if op in _NO_SPLIT:
            return False
        if op is _c.SUBPATTERN and not _splittable(av[3]):
            return False
        if op is _c.BRANCH and not all(_splittable(a) for a in av[1]):
            return False
        if op in _REPEATS and not _splittable(av[2]):
            return False
        if op in (_c.ASSERT, _c.ASSERT_NOT) and not _splittable(av[1]):
            return False
    return True


Piece = tuple[re.Pattern[str], tuple[str, ...] | None]


def split(pattern: re.Pattern[str]) -> tuple[Piece, ...] | None:
    """The pattern as one pattern per alternative of its first top-level branch, each with its
    own required strings (single characters allowed: `in` is one C scan).

    `X(A|B)Y` has a match exactly when `XAY` or `XBY` has one: a regex search tries every path
    through the branch at every position (no backreference, atomic group or possessive repeat
    that could tell the paths apart). None when that would not pay: more than MAX_UNFILTERED
    alternatives without required strings, or more than MAX_LITERALS alternatives."""
    parsed = _parse(pattern)
    if parsed is None:
        return None
    tree, items, flags = parsed
    at = next((i for i, (op, _av) in enumerate(items) if op is _c.BRANCH), None)
    if at is None or len(items[at][1][1]) > MAX_LITERALS or not _splittable(items):
        return None
    pieces: list[Piece] = []
    for alternative in items[at][1][1]:
        body = [*items[:at], *alternative, *items[at + 1 :]]
        required = _seq_required(body, flags)
        subpattern = _p.SubPattern(tree.state, body)
        compiled = _k.compile(subpattern, pattern.flags)
        pieces.append((compiled, None if required is None else _minimal(required, 1)))
    unfiltered = sum(required is None for _piece, required in pieces)
    if unfiltered > MAX_UNFILTERED or unfiltered == len(pieces) or len(pieces) > MAX_LITERALS:
        return None  # separate full scans would cost more than the one scan they replace
    return tuple(pieces)


@dataclass(frozen=True)
class Plan:
    """How `search` answers for one pattern."""

    pattern: re.Pattern[str]
    literals: tuple[str, ...] | None
    """The whole pattern's required strings (no match without one of them)."""
    pieces: tuple[Piece, ...] | None
    """When set, the pattern matches exactly when one of these matches."""


def _contains_any(text: str, strings: tuple[str, ...]) -> bool:
    for s in strings:  # noqa: SIM110 - a plain loop is faster than any() over a generator
        if s in text:
            return True
    return False


_PLANS: dict[int, Plan] = {}
"""By id() of the compiled pattern (hashing a Pattern hashes its whole compiled code, which is
slow for the large vocabulary patterns); the plan keeps the pattern alive so ids are not reused."""


def plan(pattern: re.Pattern[str]) -> Plan:
    """The prefilter plan of `pattern`, computed once per compiled pattern."""
    found = _PLANS.get(id(pattern))
    if found is None or found.pattern is not pattern:
        found = _PLANS[id(pattern)] = Plan(pattern, analyse(pattern), split(pattern))
    return found


def literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """`analyse(pattern)`, computed once per compiled pattern."""
    return plan(pattern).literals


def search(pattern: re.Pattern[str], text: str) -> bool:
    """Exactly `bool(pattern.search(text))`, skipping searches that cannot match."""
    if len(text) < SHORT:
        return pattern.search(text) is not None
    found = _PLANS.get(id(pattern))
    if found is None or found.pattern is not pattern:
        found = plan(pattern)
    if found.literals is not None and not _contains_any(text, found.literals):
        return False
    if found.pieces is None:
        return pattern.search(text) is not None
    for piece, required in found.pieces:
        if (required is None or _contains_any(text, required)) and piece.search(text):
            return True
    return False
