"""Scope guard: rules, classifier, policy, output checks, evaluation."""

from guardrails.decision import MAX_INPUT_CHARS, Category, Decision, Issue
from guardrails.guard import ScopeGuard, Thresholds, build_guard
from guardrails.injection import flags_injection
from guardrails.output import check_output

__all__ = [
    "MAX_INPUT_CHARS",
    "Category",
    "Decision",
    "Issue",
    "ScopeGuard",
    "Thresholds",
    "build_guard",
    "check_output",
    "flags_injection",
]
