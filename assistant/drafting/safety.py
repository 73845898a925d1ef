"""Safety checks on a case: vital signs against limits, and red flags in the notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.drafting.catalog import Thresholds
from assistant.models import ClientCase, Session, parse_bp

_NEGATION = re.compile(r"\b(no|not|denies|denied|without|nor|negative for|free of)\b", re.I)
_CLAUSE_END = re.compile(r"[.;:!?]|\bbut\b|\bhowever\b", re.I)


@dataclass
class Limit:
    """One limit in force for a vital sign, and where it comes from."""

    name: str  # bp, bp_resistance, hr, glucose_low, glucose_high, glucose_guidance, spo2
    value: str
    source: str  # "physician" or "default"
    severity: str  # "caution" (change-in-status notice) or "stop"


@dataclass
class Event:
    """A reading beyond a limit, or a red flag in a note."""

    kind: str  # a Limit.name or "red_flag"
    session: int  # index in case.sessions
    date: str
    reading: str
    when: str  # pre/post, or the note field for red flags
    limit: Limit | None = None
    flag_label: str = ""


@dataclass
class LimitSet:
    """The limits in force; a name absent from `limits` has no limit."""

    limits: dict[str, Limit] = field(default_factory=dict)
    bp: Limit | None = None
    bp_resistance: Limit | None = None
    hr: Limit | None = None
    glucose_low: Limit | None = None
    glucose_high: Limit | None = None
    glucose_guidance: Limit | None = None
    spo2: Limit | None = None

    def __post_init__(self) -> None:
        for name, limit in self.limits.items():
            setattr(self, name, limit)

    @property
    def source(self) -> str:
        """'physician' when any physician limit is in force, else 'default'."""
        sources = {lim.source for lim in self.limits.values()}
        return "physician" if "physician" in sources else "default"


def limits_for(case: ClientCase, defaults: Thresholds) -> LimitSet:
    """The physician's limits where set, else METI's default thresholds."""
    mine = case.limits
    out: dict[str, Limit] = {}
    if mine and mine.bp_max:
        out["bp"] = Limit("bp", mine.bp_max, "physician", "caution")
    else:
        bp = defaults.blood_pressure
        out["bp"] = Limit(
            "bp", f"{bp.cardio_max.systolic}/{bp.cardio_max.diastolic}", "default", "caution"
        )
        out["bp_resistance"] = Limit(
            "bp_resistance",
            f"{bp.resistance_max.systolic}/{bp.resistance_max.diastolic}",
            "default",
            "stop",
        )
    if mine and mine.hr_max:
        out["hr"] = Limit("hr", str(mine.hr_max), "physician", "caution")
    glucose = defaults.blood_glucose_mg_dl
    if mine and mine.glucose_min is not None:
        out["glucose_low"] = Limit("glucose_low", str(mine.glucose_min), "physician", "caution")
    else:
        out["glucose_low"] = Limit("glucose_low", _n(glucose.acceptable_min), "default", "caution")
    if mine and mine.glucose_max is not None:
        out["glucose_high"] = Limit("glucose_high", str(mine.glucose_max), "physician", "caution")
    else:
        out["glucose_high"] = Limit("glucose_high", _n(glucose.caution_above), "default", "caution")
        out["glucose_guidance"] = Limit(
            "glucose_guidance", _n(glucose.physician_guidance_at_or_above), "default", "stop"
        )
    if mine and mine.spo2_min is not None:
        out["spo2"] = Limit("spo2", str(mine.spo2_min), "physician", "caution")
    return LimitSet(out)


def _n(value: float) -> str:
    return f"{value:g}"


def _bp_over(reading: str, limit: str) -> bool:
    sys_r, dia_r = parse_bp(reading)
    sys_l, dia_l = parse_bp(limit)
    return sys_r > sys_l or dia_r > dia_l


def vital_events(index: int, session: Session, limits: LimitSet) -> list[Event]:
    """Readings of one session that are beyond a limit (the strongest limit per reading)."""
    events: list[Event] = []
    v = session.vitals
    day = session.date.isoformat()
    lim = limits.limits
    for when, bp in (("pre", v.bp_pre), ("post", v.bp_post)):
        if bp is None:
            continue
        for name in ("bp_resistance", "bp"):
            if name in lim and _bp_over(bp, lim[name].value):
                events.append(Event(name, index, day, bp, when, lim[name]))
                break
    for when, hr in (("pre", v.hr_pre), ("post", v.hr_post)):
        if hr is not None and "hr" in lim and hr > int(lim["hr"].value):
            events.append(Event("hr", index, day, str(hr), when, lim["hr"]))
    for when, glu in (("pre", v.glucose_pre), ("post", v.glucose_post)):
        if glu is None:
            continue
        if "glucose_guidance" in lim and glu >= float(lim["glucose_guidance"].value):
            events.append(
                Event("glucose_guidance", index, day, str(glu), when, lim["glucose_guidance"])
            )
        elif glu > float(lim["glucose_high"].value):
            events.append(Event("glucose_high", index, day, str(glu), when, lim["glucose_high"]))
        elif glu < float(lim["glucose_low"].value):
            events.append(Event("glucose_low", index, day, str(glu), when, lim["glucose_low"]))
    for when, spo2 in (("pre", v.spo2_pre), ("post", v.spo2_post)):
        if spo2 is not None and "spo2" in lim and spo2 < int(lim["spo2"].value):
            events.append(Event("spo2", index, day, str(spo2), when, lim["spo2"]))
    return events


def negated(text: str, start: int) -> bool:
    """True when a negation word precedes the match within the same clause."""
    before = text[max(0, start - 40) : start]
    clause = _CLAUSE_END.split(before)[-1]
    return bool(_NEGATION.search(clause))


def red_flag_events(index: int, session: Session, defaults: Thresholds) -> list[Event]:
    """Red-flag keywords (not negated) in the client report, observations or check-in."""
    events: list[Event] = []
    notes = {
        "readiness": session.readiness,
        "client_report": session.client_report,
        "observations": session.observations,
    }
    for where, text in notes.items():
        for label, word in red_flags_in(text or "", defaults):
            events.append(
                Event("red_flag", index, session.date.isoformat(), word, where, None, label)
            )
    return events


def red_flags_in(text: str, defaults: Thresholds) -> list[tuple[str, str]]:
    """(label, words found) of each of METI's red flags the text names and does not negate."""
    found: list[tuple[str, str]] = []
    for flag in defaults.red_flags:
        for keyword in flag.keywords:
            pattern = re.compile(rf"\b{re.escape(keyword)}\b", re.I)
            hit = next((m for m in pattern.finditer(text) if not negated(text, m.start())), None)
            if hit:
                found.append((flag.label, hit.group(0)))
                break
    return found


def session_events(case: ClientCase, defaults: Thresholds) -> list[list[Event]]:
    """Safety events per session, in session order."""
    limits = limits_for(case, defaults)
    return [
        vital_events(i, s, limits) + red_flag_events(i, s, defaults)
        for i, s in enumerate(case.sessions)
    ]
