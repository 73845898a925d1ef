"""Short replies with typos are recognised; nothing else is folded."""

from __future__ import annotations

import pytest

from guardrails.typos import MAX_CHARS, folded, one_edit_apart

LEXICON = frozenset({"thanks", "perfect", "shorter", "sentences", "help", "hello"})


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("thnaks", "thanks", True),  # neighbours swapped
        ("thankss", "thanks", True),  # one added
        ("thnks", "thanks", True),  # one removed
        ("tganks", "thanks", True),  # one changed
        ("thanks", "thanks", False),  # the same word is not a typo
        ("tnhaks", "thanks", False),  # two edits
        ("shorterr", "short", False),
    ],
)
def test_one_edit_apart(a: str, b: str, near: bool) -> None:
    assert one_edit_apart(a, b) is near
    assert one_edit_apart(b, a) is near


def test_replaces_a_near_miss_with_the_one_known_word() -> None:
    assert folded("perfcet, thnaks", LEXICON) == "perfect, thanks"


def test_leaves_a_word_near_two_known_words_alone() -> None:
    assert folded("helo", LEXICON) is None  # "help" and "hello" are both one edit away


def test_leaves_short_words_and_unknown_words_alone() -> None:
    assert folded("ty, stop his metformin", LEXICON) is None


def test_never_folds_a_word_the_rails_use() -> None:
    assert folded("take it", frozenset({"make", "it"})) == "make it"
    assert folded("take it", frozenset({"make", "it"}), frozenset({"take"})) is None


@pytest.mark.parametrize(
    "text",
    ["take it with her insulin?", "cure", "maek it 40 units of insluin", "treat", "dosing"],
)
def test_a_correctly_spelt_clinical_word_or_an_unknown_word_is_no_evidence(text: str) -> None:
    from guardrails.rules import default_rails

    assert default_rails().in_scope(text) is None


def test_only_a_short_message_is_folded() -> None:
    from guardrails.rules import default_rails

    long = "could you maek the summary a little more professional and a bit shorter thanks"
    assert len(long) > MAX_CHARS
    assert default_rails().in_scope(long.replace("maek", "make")) == "in_scope.edit_request"
    assert default_rails().in_scope(long) is None
    assert default_rails().in_scope("maek the summary shorter") == "in_scope.short_reply_with_typos"


def test_an_in_scope_rail_loaded_alone_takes_no_typo_as_evidence() -> None:
    from guardrails.rules import RAILS_DIR, load_rail
    from guardrails.signs import CHECKS
    from guardrails.typos import short_reply_with_typos

    alone = load_rail(RAILS_DIR / "in_scope", CHECKS, {})  # knows no other rail's words
    assert not short_reply_with_typos("maek it shorter", alone)
