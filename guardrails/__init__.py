"""Scope guard: rules, classifier, policy, output checks, evaluation."""
