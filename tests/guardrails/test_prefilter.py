"""The literal prefilter (guardrails/prefilter.py) never changes an answer of the rails.

(a) property test: for every pattern of every rail, on random texts built from the pattern's own
    literals, rail vocabulary words and noise, `prefilter.search` equals `bool(pattern.search)`;
(b) exhaustive: over every rule example and every training text, each rail's `first()` is the
    same with and without the prefilter;
(c) the analysis on hand-written patterns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guardrails import prefilter
from guardrails.normalize import normalize
from guardrails.rules import Rail, _inline, default_rails, load_vocab

DATA = Path(__file__).resolve().parents[2] / "guardrails" / "data"
RAILS = default_rails()


def _inline_sources(condition: object) -> Iterator[str]:
    if isinstance(condition, str):
        if condition.startswith("re:"):
            yield condition[3:]
    elif isinstance(condition, dict):
        for key in ("all", "any", "none"):
            for item in condition.get(key, ()):
                yield from _inline_sources(item)
        if "pattern" in condition:
            yield from _inline_sources(condition["pattern"])


def _rail_patterns(rail: Rail) -> list[re.Pattern[str]]:
    found = list(rail.patterns.values())
    for rule in rail.rules:
        for condition in (rule.when, *rule.unless):
            found += [_inline(source) for source in _inline_sources(condition)]
    return found


PATTERNS = [(name, p) for name, rail in RAILS.rails.items() for p in _rail_patterns(rail)]
WORDS = sorted(
    {w for _name, p in PATTERNS for w in re.findall(r"[a-z]{2,}", str(p.pattern))}
    | {w for v in load_vocab().values() for w in re.findall(r"[a-z]{2,}", v)}
)
NOISE = [
    " ",
    " ",
    " ",
    ".",
    ",",
    "?",
    "!",
    "\n",
    '"',
    "'",
    ">",
    "-",
    "---",
    ":",
    "/",
    "1",
    "42",
    "120/80",
    "ſ",
    "K",
    "é",
    "İ",
    "ß",
    "\u201c",
    "\u201d",
]


def _pattern_literals(pattern: re.Pattern[str]) -> list[str]:
    plan = prefilter.plan(pattern)
    out = list(plan.literals or ())
    for _piece, required in plan.pieces or ():
        out += list(required or ())
    return out


@pytest.fixture
def always_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the prefilter on texts of every length (short texts skip it otherwise)."""
    monkeypatch.setattr(prefilter, "SHORT", 0)


@st.composite
def _case(draw: st.DrawFn, rail: str) -> tuple[re.Pattern[str], str]:
    pattern = draw(st.sampled_from([p for name, p in PATTERNS if name == rail]))
    own = _pattern_literals(pattern) or ["x"]
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(own),
                st.sampled_from(WORDS),
                st.sampled_from(NOISE),
                st.text(alphabet="abcdefghijklmnopqrstuvwxyz .,'\n", max_size=6),
            ),
            max_size=40,
        )
    )
    return pattern, "".join(parts)


@pytest.mark.parametrize("rail", sorted(RAILS.rails))
def test_prefilter_answers_like_the_regex_on_random_texts(rail: str, always_filter: None) -> None:
    @settings(
        max_examples=300,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(_case(rail))
    def check(case: tuple[re.Pattern[str], str]) -> None:
        pattern, text = case
        assert prefilter.search(pattern, text) == bool(pattern.search(text)), (
            pattern.pattern[:80],
            text,
        )

    check()


def test_prefilter_answers_like_the_regex_on_each_pattern_literals(always_filter: None) -> None:
    """Every pattern, on texts made of each of its required strings in a few contexts."""
    for _rail, pattern in PATTERNS:
        for literal in _pattern_literals(pattern):
            for text in (
                literal,
                f" {literal} ",
                f"x{literal}x",
                f"the {literal}s.",
                "\n" + literal,
            ):
                assert prefilter.search(pattern, text) == bool(pattern.search(text))


def _texts() -> list[str]:
    raw = [t for rail in RAILS.rails.values() for r in rail.rules for t in r.must_match]
    raw += [t for rail in RAILS.rails.values() for r in rail.rules for t in r.must_not_match]
    for path in sorted((DATA / "boundary").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw.append(json.loads(line)["text"])
    for path in sorted((DATA / "authored").glob("*.txt")):
        raw += [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
    return sorted({t for text in raw for t in normalize(text).all_texts})


def _has_plan(pattern: re.Pattern[str]) -> bool:
    plan = prefilter.plan(pattern)
    return plan.literals is not None or plan.pieces is not None


def test_every_rail_decides_the_same_with_and_without_the_prefilter(
    monkeypatch: pytest.MonkeyPatch, always_filter: None
) -> None:
    texts = _texts()
    assert len(texts) > 5000
    # A rail none of whose patterns has a plan searches every pattern as before: nothing to prove.
    filtered = {
        name: rail
        for name, rail in RAILS.rails.items()
        if any(_has_plan(p) for p in _rail_patterns(rail))
    }
    assert {"injection", "emergency", "clinical"} <= set(filtered)
    fast = {name: [rail.first(t) for t in texts] for name, rail in filtered.items()}
    monkeypatch.setattr(prefilter, "search", lambda p, t: p.search(t) is not None)
    for name, rail in filtered.items():
        slow = [rail.first(t) for t in texts]
        changed = [(t, a, b) for t, a, b in zip(texts, fast[name], slow, strict=True) if a != b]
        assert not changed, (name, changed[:5])


def test_most_injection_patterns_get_a_prefilter() -> None:
    rail = RAILS.rails["injection"]
    plans = [prefilter.plan(p) for p in rail.patterns.values()]
    assert sum(p.literals is not None or p.pieces is not None for p in plans) >= len(plans) // 2


def _lits(source: str) -> tuple[str, ...] | None:
    return prefilter.analyse(re.compile(source, re.DOTALL))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (r"hello world", ("hello world",)),
        (r"\bignore\b", ("ignore",)),
        (r"\b(ignore|ignite)\b", ("ignite", "ignore")),  # the parser factors out "ign"
        (r"a+bc", ("bc",)),  # only adjacent literal nodes are joined
        (r"(?:abc|.x)", None),  # an alternative requires only "x": too short
        (r"(?:abc|\w+)", None),  # an alternative without a literal: nothing required
        (r"(?:abc)?xyz", ("xyz",)),
        (r"(?:abc)*", None),  # min 0 requires nothing
        (r"(?:ab){2,}", ("abab",)),
        (r"doses?", ("dose",)),
        (r"summari[sz]ing", ("summarising", "summarizing")),
        (r"[a-z]+ing", ("ing",)),
        (r"(?=abc)\w+", None),  # lookarounds contribute nothing
        (r"foo(?=bar)baz", ("foobaz",)),  # ... but do not break a run of literals
        (r"(\w+) \1", None),
        (r"(?i)abc", None),  # case-insensitive literals are never used
        (r"(?i:ab)cd", ("cd",)),
        (r"(?i)(?-i:hello)", ("hello",)),
        (r"how much .{0,20}take", ("how much ",)),
        (r"(?:red|blue) (?:car|bus)", ("red bus", "red car", "blue bus", "blue car")),
        (r"(?:cat|category)", ("cat",)),  # a string holding another is dropped
        ("|".join(f"{chr(97 + i % 26)}{i:03d}" for i in range(100)), None),  # too many
    ],
)
def test_analysis_of_hand_written_patterns(source: str, expected: tuple[str, ...] | None) -> None:
    assert _lits(source) == expected


def test_a_top_level_branch_is_split_into_filtered_alternatives(always_filter: None) -> None:
    pattern = re.compile(r'\b(?:"[^"]{5,}"|(?:^|\n)\s*>|pasted|it says)\b', re.DOTALL)
    assert prefilter.analyse(pattern) is None  # '"' and '>' are single characters
    pieces = prefilter.split(pattern)
    assert pieces is not None
    assert [required for _p, required in pieces] == [('"',), (">",), ("pasted",), ("it says",)]
    for text in ['she said "hello there" ok', "> quoted", "a\n > b", "pasted", "it says", "it"]:
        assert prefilter.search(pattern, text) == bool(pattern.search(text))
    assert prefilter.split(re.compile(r"(a|b)\1")) is None  # a backreference: never split


def test_a_large_required_set_is_looked_for_through_fewer_pieces() -> None:
    strings = [f"forget {w} above" for w in ("all", "everything", "whatever", "it", "this", "that",
                                             "the rules")]
    pieces = prefilter._cover(strings)
    assert len(pieces) < len(strings)
    assert all(any(piece in s for piece in pieces) for s in strings)
    assert prefilter._cover(strings[:3]) == strings[:3]  # a small set is kept as it is
