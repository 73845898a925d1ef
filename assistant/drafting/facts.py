"""Facts computed from a case for the templates: views, attendance, measures, safety."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from assistant.drafting import catalog
from assistant.drafting.catalog import Measure, Specialty, normalize
from assistant.drafting.measures import MeasureRow, age_on, measure_rows
from assistant.drafting.names import name_words
from assistant.drafting.numbers import Derived, long_date, plain, short_date
from assistant.drafting.options import DraftOptions
from assistant.drafting.safety import Event, LimitSet, limits_for, session_events
from assistant.models import ClientCase, Exercise, Session
from assistant.paths import KNOWLEDGE_DIR


class Needs:
    """Looks up required data by JSON path; a gap becomes a placeholder and a missing field."""

    def __init__(self, case: ClientCase, options: DraftOptions) -> None:
        self._data: dict[str, Any] = {
            **case.model_dump(mode="json"),
            "options": options.model_dump(mode="json"),
        }
        self._placeholders: dict[str, str] = catalog.messages()["placeholders"]
        self.missing: list[str] = []

    def value(self, path: str) -> Any:
        node: Any = self._data
        for part in path.split("."):
            if not isinstance(node, dict):
                return None
            node = node.get(part)
        return node

    def has(self, path: str) -> bool:
        return self.value(path) not in (None, "", [], {})

    def placeholder(self, path: str) -> str:
        label = path.rsplit(".", 1)[-1].replace("_", " ")
        return self._placeholders.get(path) or self._placeholders["default"].format(label=label)

    def __call__(self, path: str) -> Any:
        """The value at `path`, or its placeholder (and `path` recorded as missing)."""
        if self.has(path):
            return self.value(path)
        if path not in self.missing:
            self.missing.append(path)
        return Markup(self.placeholder(path))  # the template's own wording, not user text


def field_label(path: str) -> str:
    """How a missing field is named to the practitioner: 'practitioner.phone' -> 'your phone
    number' (messages.yaml, field_labels)."""
    labels: dict[str, str] = catalog.messages()["field_labels"]
    return labels.get(path) or labels["default"].format(
        label=path.rsplit(".", 1)[-1].replace("_", " ")
    )


@dataclass
class ExerciseView:
    name: str
    sets: str
    reps: str
    load: str
    time: str
    rpe: str
    notes: str


@dataclass
class SessionView:
    index: int
    number: str
    date: str
    date_short: str
    session: Session
    exercises: list[ExerciseView]
    events: list[Event]
    status: dict[str, str] = field(default_factory=dict)

    @property
    def red_flags(self) -> list[Event]:
        return [e for e in self.events if e.kind == "red_flag"]

    @property
    def vital_events(self) -> list[Event]:
        return [e for e in self.events if e.kind != "red_flag"]


@dataclass
class GoalView:
    text: str
    term: str
    target: str
    status: str | None
    met_date: str


@dataclass
class Facts:
    """Everything a template may show, already formatted; derived figures recorded."""

    derived: Derived
    needs: Needs
    doc_date: str
    age: str | None
    specialty: Specialty
    specialty_known: bool
    recipient: str
    """The data path of the letter's addressee (`referral.physician` or `options.to_physician`)."""
    sessions: list[SessionView]
    attendance: dict[str, str]
    measures: list[MeasureRow]
    report_measures: list[MeasureRow]
    goals: list[GoalView]
    limits: LimitSet
    events: list[Event]
    home_program: list[ExerciseView]
    warnings: list[str] = field(default_factory=list)
    measure_warnings: list[str] = field(default_factory=list)


def exercise_view(item: Exercise) -> ExerciseView:
    def text(value: object) -> str:
        if value is None:
            return ""
        return plain(value) if isinstance(value, int | float) else str(value)

    return ExerciseView(
        item.name,
        text(item.sets),
        text(item.reps),
        text(item.load),
        text(item.time),
        text(item.rpe),
        item.notes or "",
    )


def _select_measures(rows: list[MeasureRow], spec: Specialty) -> list[MeasureRow]:
    if not spec.measure_ids and not spec.measure_keywords:
        return rows
    keywords = [normalize(k) for k in spec.measure_keywords]
    chosen = []
    for row in rows:
        name = f" {normalize(row.name)} "
        if row.measure_id in spec.measure_ids or any(f" {k} " in name for k in keywords):
            chosen.append(row)
    return chosen


_CHECKS = {
    "bp": ("bp_pre", "bp_post", {"bp", "bp_resistance"}),
    "hr": ("hr_pre", "hr_post", {"hr"}),
    "glucose": ("glucose_pre", "glucose_post", {"glucose_low", "glucose_high", "glucose_guidance"}),
    "spo2": ("spo2_pre", "spo2_post", {"spo2"}),
}


def _status(view: SessionView, limits: LimitSet) -> dict[str, str]:
    """Per vital sign: 'none' (not recorded), 'no_limit' (nothing to compare against), 'ok' or
    'over' (beyond a limit)."""
    out: dict[str, str] = {}
    vitals = view.session.vitals
    kinds = {e.kind for e in view.vital_events}
    for name, (pre, post, limit_kinds) in _CHECKS.items():
        recorded = getattr(vitals, pre) is not None or getattr(vitals, post) is not None
        if not recorded:
            out[name] = "none"
        elif kinds & limit_kinds:
            out[name] = "over"
        else:
            out[name] = "ok" if limit_kinds & limits.limits.keys() else "no_limit"
    out["red_flags"] = "flagged" if view.red_flags else "clear"
    return out


def resolve_specialty(case: ClientCase, options: DraftOptions) -> tuple[Specialty, bool]:
    """The letter profile: options.to_specialty, else the referral's, else primary care."""
    wanted = options.to_specialty or (case.referral.specialty if case.referral else None)
    found = catalog.find_specialty(wanted)
    if found:
        return found, True
    fallback = catalog.find_specialty("primary-care")
    if fallback is None:
        raise catalog.CatalogError("specialties.yaml has no primary-care profile")
    return fallback, wanted is None


def _surname(name: str) -> str:
    """The last word of a name that is not a post-nominal ("Dr Maya Stein MD" -> "stein")."""
    words = [w.strip(".") for w in name_words(name)]
    return words[-1].lower() if words else ""


def recipient_path(case: ClientCase, options: DraftOptions) -> str:
    """Who a letter goes to: options.to_physician when given or when the letter is for another
    specialty than the referral's (never the referring physician by mistake), else the referring
    physician."""
    if options.to_physician:
        referrer = case.referral.physician if case.referral else None
        if referrer and _surname(referrer) == _surname(options.to_physician):
            return "referral.physician"  # the referrer named again: their practice and address
        return "options.to_physician"
    if options.to_specialty and case.referral:
        wanted = catalog.find_specialty(options.to_specialty)
        own = catalog.find_specialty(case.referral.specialty)
        if wanted is not None and (own is None or wanted.id != own.id):
            return "options.to_physician"  # an unknown referral specialty may be another one
    return "referral.physician"


def build_facts(
    case: ClientCase, options: DraftOptions, doc_date: dt.date, knowledge_dir: Path = KNOWLEDGE_DIR
) -> Facts:
    """Compute every figure the templates show, recording the derived ones.

    Outcome measures and default thresholds come from `knowledge_dir`."""
    derived = Derived()
    needs = Needs(case, options)
    msgs = catalog.messages()
    defaults = catalog.thresholds(knowledge_dir / "thresholds.yaml")
    among = catalog.measures(knowledge_dir / "measures.yaml")
    birth = case.client.date_of_birth if case.client else None
    sex = case.client.sex if case.client else None
    age = age_on(birth, doc_date)
    spec, spec_ok = resolve_specialty(case, options)

    per_session = session_events(case, defaults)
    sessions = [
        SessionView(
            index=i,
            number=derived.count(i + 1),
            date=long_date(s.date),
            date_short=short_date(s.date),
            session=s,
            exercises=[exercise_view(e) for e in s.exercises],
            events=per_session[i],
        )
        for i, s in enumerate(case.sessions)
    ]
    attendance: dict[str, str] = {"count": derived.count(len(sessions))}
    if case.sessions:
        first, last = case.sessions[0].date, case.sessions[-1].date
        minutes = sum(s.duration_min or 0 for s in case.sessions)
        attendance |= {
            "first": long_date(first),
            "last": long_date(last),
            "minutes": derived.count(minutes) if minutes else "",
            "weeks": derived.count(weeks) if (weeks := round((last - first).days / 7)) else "",
        }
    rows = measure_rows(
        case.assessments, sex, birth, derived, {u.lower() for u in msgs["percent_units"]}, among
    )
    goals = [
        GoalView(
            g.text,
            g.term,
            long_date(g.target_date) if g.target_date else "",
            g.status,
            long_date(g.met_date) if g.met_date else "",
        )
        for g in case.goals
    ]
    facts = Facts(
        derived=derived,
        needs=needs,
        doc_date=derived.date(doc_date),
        age=derived.count(age) if age is not None else None,
        specialty=spec,
        specialty_known=spec_ok,
        recipient=recipient_path(case, options),
        sessions=sessions,
        attendance=attendance,
        measures=rows,
        report_measures=_select_measures(rows, spec),
        goals=goals,
        limits=limits_for(case, defaults),
        events=[e for events in per_session for e in events],
        home_program=[exercise_view(e) for e in case.home_program],
    )
    for view in sessions:
        view.status = _status(view, facts.limits)
    for lim in facts.limits.limits.values():
        derived.values.extend(float(x) for x in lim.value.split("/"))
    facts.warnings = _warnings(case, facts, spec_ok, options, doc_date)
    facts.measure_warnings = _measure_warnings(facts, among)
    return facts


def _warnings(
    case: ClientCase, facts: Facts, spec_ok: bool, options: DraftOptions, doc_date: dt.date
) -> list[str]:
    msgs = catalog.messages()
    text = msgs["warnings"]
    physician = facts.needs.value("referral.physician") or msgs["placeholders"]["referral"]
    out: list[str] = []
    for event in facts.events:
        day = short_date(event.date)
        if event.kind == "red_flag":
            where = event.when.replace("_", " ")
            out.append(
                text["red_flag"].format(
                    date=day,
                    label=event.flag_label,
                    where=where,
                    excerpt=event.reading,
                    physician=physician,
                )
            )
            continue
        assert event.limit is not None
        template = text["vital_stop"] if event.limit.severity == "stop" else text["vital_caution"]
        out.append(
            template.format(
                date=day,
                when=event.when,
                reading=event.reading,
                limit=event.limit.value,
                limit_name=msgs["limit_names"][event.kind],
                limit_source=msgs["limit_sources"][event.limit.source],
                physician=physician,
                unit=msgs["limit_units"][event.kind],
                direction=msgs["limit_directions"][event.kind],
            )
        )
    if not spec_ok:
        wanted = options.to_specialty or (case.referral.specialty if case.referral else "")
        out.append(text["unknown_specialty"].format(name=wanted))
    for goal in case.goals:
        if goal.target_date and goal.target_date < doc_date and goal.status is None:
            out.append(
                text["goal_past_due"].format(goal=goal.text, target=short_date(goal.target_date))
            )
    return out


def _measure_warnings(facts: Facts, among: Sequence[Measure]) -> list[str]:
    text = catalog.messages()["warnings"]
    out: list[str] = []
    for row in facts.measures:
        if not row.known:
            out.append(text["unknown_measure"].format(name=row.name))
        elif row.out_of_range:
            known = catalog.find_measure(row.name, among)
            assert known is not None
            out.append(
                text["out_of_range"].format(
                    name=row.name, min=plain(known.min or 0), max=plain(known.max or 0)
                )
            )
    return out
