"""What the guard decides about a message, and what the output check reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

MAX_INPUT_CHARS = 20_000
"""Longer input is decided on its first MAX_INPUT_CHARS characters (the reason says so)."""

MAX_HISTORY_MESSAGES = 6
"""Only this many of the most recent history messages are looked at."""


class Category(StrEnum):
    """The guard's outcomes (design.md, "Guard categories").

    The first five are also the labels of the training data; `clarify` is the answer when the
    guard has no positive evidence that a message is in scope and no strong evidence of a
    refusal category; `language` answers a message not written in English (no emergency sign).
    """

    IN_SCOPE = "in_scope"
    CLINICAL_ADVICE = "clinical_advice"
    EMERGENCY = "emergency"
    PROMPT_INJECTION = "prompt_injection"
    OFF_TOPIC = "off_topic"
    CLARIFY = "clarify"
    LANGUAGE = "language"

    @property
    def allowed(self) -> bool:
        return self is Category.IN_SCOPE


CATEGORIES: tuple[Category, ...] = tuple(Category)
"""Every outcome the guard can return."""
LABELS: tuple[Category, ...] = (
    Category.IN_SCOPE,
    Category.CLINICAL_ADVICE,
    Category.EMERGENCY,
    Category.PROMPT_INJECTION,
    Category.OFF_TOPIC,
)
"""The categories a labelled message can have (training and evaluation data)."""
UNSAFE: frozenset[Category] = frozenset(
    {Category.CLINICAL_ADVICE, Category.EMERGENCY, Category.PROMPT_INJECTION}
)


@dataclass(frozen=True)
class Thresholds:
    """How sure the classifier must be: to answer, and to refuse with a given category.

    A message is answered only when no rule fired, the calibrated p(in_scope) reaches `allow`
    (by default the bar chosen on the validation split when the model was trained) and no
    refusal category's score clears its bar. Otherwise it gets the refusal category whose
    score clears its bar (emergency first, with the lowest bar), and `clarify` when none does
    or when the model's views disagree and the refusal is not strong.
    """

    allow: float | None = None
    """Calibrated p(in_scope) needed to answer; None: the trained model's validated bar."""
    emergency: float = 0.3
    prompt_injection: float = 0.5
    clinical_advice: float = 0.5
    off_topic: float = 0.5
    refuse_despite_doubt: float = 0.8
    """When one of the model's two views would answer, a refusal needs this much (else the
    guard asks what the practitioner wants: `clarify`, also not answered). Chosen on the
    development sets: such messages were a third in scope (24 of 72) there."""
    tuned_sure: float | None = 0.97
    """When the views disagree and no refusal is strong: answer anyway when the tuned view's own
    p(in_scope) reaches this (None: never; such a message gets `clarify`). Chosen on the
    validation split: the most in-scope messages answered with none more unsafe let through
    (9 of 1,198 more answered); on the development sets 8 of 1,063 more, 1 of 937 unsafe more."""

    def refusal_bars(self) -> dict[Category, float]:
        """The bar of each refusal category, emergency first."""
        return {
            Category.EMERGENCY: self.emergency,
            Category.CLINICAL_ADVICE: self.clinical_advice,
            Category.PROMPT_INJECTION: self.prompt_injection,
            Category.OFF_TOPIC: self.off_topic,
        }


@dataclass(frozen=True)
class Decision:
    """The guard's verdict on one message."""

    category: Category
    allowed: bool
    reason: str
    message: str
    topic: str | None = None
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        """The public shape: category, allowed, reason, message."""
        return {
            "category": self.category.value,
            "allowed": self.allowed,
            "reason": self.reason,
            "message": self.message,
        }


@dataclass(frozen=True)
class Issue:
    """One problem found in an assistant reply by `check_output`."""

    kind: str
    excerpt: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "excerpt": self.excerpt, "message": self.message}
