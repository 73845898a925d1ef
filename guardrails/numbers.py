"""Number faithfulness: every figure in a text must come from its sources."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NUMBER = re.compile(
    r"(?<![\w.])[-−]?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.])[-−]?\d+(?:\.\d+)?(?![\w])"
)
_CODE = re.compile(r"\b[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?\b")


@dataclass(frozen=True)
class Figure:
    """A number (or a coded identifier such as an ICD-10 code) found in text."""

    raw: str
    value: float | str
    start: int


def figures(text: str) -> list[Figure]:
    """Numbers and codes in order of appearance."""
    found = [Figure(m.group(0), m.group(0).upper(), m.start()) for m in _CODE.finditer(text)]
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        cleaned = raw.replace(",", "").replace("−", "-")
        found.append(Figure(raw, abs(float(cleaned)), match.start()))
    return sorted(found, key=lambda f: f.start)


def _key(value: float | str) -> float | str:
    return round(value, 4) if isinstance(value, float) else value


def allowed_values(sources: Iterable[str], extra: Iterable[float | str] = ()) -> set[float | str]:
    allowed: set[float | str] = set()
    for source in sources:
        allowed.update(_key(f.value) for f in figures(source))
    for value in extra:
        allowed.add(
            _key(abs(float(value))) if isinstance(value, int | float) else str(value).upper()
        )
    return allowed


def unsupported_figures(
    text: str, sources: Iterable[str], extra: Iterable[float | str] = ()
) -> list[Figure]:
    """Figures in `text` that appear in none of `sources` (nor in `extra` derived values)."""
    allowed = allowed_values(sources, extra)
    return [f for f in figures(text) if _key(f.value) not in allowed]
