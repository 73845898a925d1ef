"""Physicians' names in letters: the words of a name without its post-nominals."""

from __future__ import annotations

import re

_POST_NOMINAL = re.compile(
    r"(?:M\.?D|D\.?O|Ph\.?D|MBBS|MBChB|FRCPC?|FRCS|FACC|FACP|FACS|DPT|MPH|MSc|NP|PA-?C?|RN|Jr|Sr)"
    r"\.?,?"
)
"""A post-nominal after a name: MD, DO, PhD, FRCP, Jr (case-sensitive: "Pa" is a surname)."""


def name_words(name: str) -> list[str]:
    """'Dr Maya Stein, MD' -> ['Dr', 'Maya', 'Stein']: trailing post-nominals dropped, first
    and last word always kept."""
    words = name.replace(",", " ").split()
    while len(words) > 2 and _POST_NOMINAL.fullmatch(words[-1]):
        words.pop()
    return words
