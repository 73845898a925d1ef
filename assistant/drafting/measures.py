"""Outcome measures: baseline to latest, meaningful change and standing against cut-offs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.drafting.catalog import Cutoff, Measure, find_measure, normalize
from assistant.drafting.numbers import Derived, decimals, plain, short_date
from assistant.models import Assessment
from guardrails.numbers import figures

_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


@dataclass
class Reading:
    date: str
    value: str


@dataclass
class CutoffStatus:
    label: str
    op: str
    value: str
    met: bool


@dataclass
class MeasureRow:
    """One measure across the case's assessments."""

    name: str
    measure_id: str | None
    unit: str
    baseline: Reading
    latest: Reading | None
    count: int
    change: str | None = None
    percent: str | None = None
    direction: str | None = None
    meaningful: bool | None = None
    meaningful_change: str | None = None
    standing: list[CutoffStatus] = field(default_factory=list)
    baseline_standing: list[CutoffStatus] = field(default_factory=list)
    out_of_range: bool = False

    @property
    def known(self) -> bool:
        return self.measure_id is not None

    @property
    def final(self) -> Reading:
        return self.latest or self.baseline

    @property
    def flagged(self) -> list[CutoffStatus]:
        return [c for c in self.standing if c.met]


def age_on(birth: dt.date | None, when: dt.date) -> int | None:
    if birth is None:
        return None
    return when.year - birth.year - ((when.month, when.day) < (birth.month, birth.day))


def _applies(cut: Cutoff, sex: str | None, age: int | None) -> bool:
    if cut.sex is not None and cut.sex != sex:
        return False
    if cut.age_min is not None and (age is None or age < cut.age_min):
        return False
    return not (cut.age_max is not None and (age is None or age > cut.age_max))


def group_assessments(
    assessments: list[Assessment], among: Sequence[Measure] | None = None
) -> dict[str, list[Assessment]]:
    """Assessments by measure (catalog id, else normalized name), oldest first."""
    groups: dict[str, list[Assessment]] = {}
    for item in sorted(assessments, key=lambda a: a.date):
        known = find_measure(item.measure, among)
        groups.setdefault(known.id if known else normalize(item.measure), []).append(item)
    return groups


def measure_rows(
    assessments: list[Assessment],
    sex: str | None,
    birth: dt.date | None,
    derived: Derived,
    percent_units: set[str],
    among: Sequence[Measure] | None = None,
) -> list[MeasureRow]:
    """One row per measure with change, meaningfulness and cut-off standing."""
    rows: list[MeasureRow] = []
    for items in group_assessments(assessments, among).values():
        first, last = items[0], items[-1]
        known: Measure | None = find_measure(first.measure, among)
        unit = first.unit or (known.unit if known else None) or ""
        row = MeasureRow(
            name=first.measure,
            measure_id=known.id if known else None,
            unit=unit,
            baseline=Reading(short_date(first.date), plain(first.value)),
            latest=Reading(short_date(last.date), plain(last.value)) if len(items) > 1 else None,
            count=len(items),
        )
        if len(items) > 1:
            _change(row, first.value, last.value, known, derived, percent_units)
        if known:
            row.standing = _standing(known, sex, age_on(birth, last.date), last.value, derived)
            row.baseline_standing = _standing(
                known, sex, age_on(birth, first.date), first.value, derived
            )
            low, high = known.min, known.max
            row.out_of_range = any(
                (low is not None and a.value < low) or (high is not None and a.value > high)
                for a in items
            )
        rows.append(row)
    return rows


def _standing(
    known: Measure, sex: str | None, age: int | None, value: float, derived: Derived
) -> list[CutoffStatus]:
    """Each cut-off that applies to this client, and whether `value` meets it."""
    out: list[CutoffStatus] = []
    for cut in known.cutoffs:
        if _applies(cut, sex, age):
            out.append(
                CutoffStatus(cut.label, cut.op, plain(cut.value), _OPS[cut.op](value, cut.value))
            )
            derived.values.append(abs(cut.value))
            derived.values.extend(f.value for f in figures(cut.label))
    return out


def _change(
    row: MeasureRow,
    start: float,
    end: float,
    known: Measure | None,
    derived: Derived,
    percent_units: set[str],
) -> None:
    digits = max(decimals(start), decimals(end))
    delta = round(end - start, digits)
    row.change = derived.signed(delta, digits)
    if start and row.unit.lower() in percent_units:
        row.percent = derived.signed((end - start) / start * 100)
    if known is None:
        return
    if delta == 0:
        row.direction = "unchanged"
    else:
        row.direction = "improved" if (delta > 0) == known.higher_is_better else "declined"
    if known.meaningful_change is not None:
        row.meaningful_change = plain(known.meaningful_change)
        derived.values.append(abs(known.meaningful_change))
        row.meaningful = abs(delta) >= known.meaningful_change
