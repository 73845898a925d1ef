"""Number formatting that records every derived figure for the faithfulness check."""

from __future__ import annotations

import datetime as dt


def plain(value: float | int) -> str:
    """A case value as written (no rounding): 7.0 -> '7', 1.05 -> '1.05'."""
    return f"{float(value):.10g}"


def decimals(value: float | int) -> int:
    text = plain(value)
    return len(text.split(".")[1]) if "." in text else 0


def long_date(value: dt.date | str | None) -> str:
    """2026-09-02 -> '2 September 2026'."""
    if value is None:
        return ""
    when = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{when.day} {when:%B} {when.year}"


def short_date(value: dt.date | str | None) -> str:
    """2026-09-02 -> '2 Sep 2026'."""
    if value is None:
        return ""
    when = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{when.day} {when:%b} {when.year}"


class Derived:
    """Collects the figures computed from a case (counts, differences, percentages, dates)."""

    def __init__(self) -> None:
        self.values: list[float | str] = []

    def number(self, value: float, digits: int = 0) -> str:
        """Round, format and record a derived number."""
        rounded = round(float(value), digits)
        text = f"{rounded:.{digits}f}" if digits else str(int(rounded))
        self.values.append(abs(float(text)))
        return text

    def signed(self, value: float, digits: int = 0) -> str:
        """Like number() with an explicit sign: '+3', '−0.2', '0'."""
        text = self.number(abs(value), digits)
        if float(text) == 0:
            return text
        return f"+{text}" if value > 0 else f"−{text}"

    def count(self, value: int) -> str:
        self.values.append(float(value))
        return str(value)

    def date(self, value: dt.date) -> str:
        """A date that is not in the case (e.g. the letter date), recorded as derived."""
        self.values.extend([float(value.day), float(value.month), float(value.year)])
        return long_date(value)
