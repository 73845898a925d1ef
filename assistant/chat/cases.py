"""Building a stored ClientCase up from what messages say, and what a draft still needs."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from assistant.chat.casenotes import CaseFacts
from assistant.models import CaseInputError, ClientCase, validation_messages

REQUIRED: dict[str, tuple[str, ...]] = {
    "session-log": ("session", "referral.physician", "diagnosis"),
    "referral-letter": ("referral.physician", "diagnosis"),
    "progress-summary": ("referral.physician", "diagnosis", "assessments"),
    "discharge-summary": ("referral.physician", "diagnosis", "options.discharge_reason"),
}
"""What the chat asks for before drafting (everything else is left as a placeholder)."""


def _conflicting_vitals(session: dict[str, Any], new: dict[str, Any]) -> bool:
    """Both give the same reading (say BP before) with different values: two sessions."""
    old, fresh = session.get("vitals") or {}, new.get("vitals") or {}
    return any(old[k] != fresh[k] for k in old.keys() & fresh.keys())


def _merge_session(sessions: list[dict[str, Any]], new: dict[str, Any]) -> bool:
    """Add `new` to the session of its date (or as a new session); False when it adds nothing
    (the same message sent again: an exercise already recorded that day is not added twice).
    A second session that day (other readings before or after) is kept apart."""
    for session in sessions:
        if session.get("date") == new["date"] and not _conflicting_vitals(session, new):
            before = repr(session)
            for key, value in new.items():
                if key == "exercises":
                    known = session.setdefault("exercises", [])
                    known.extend([e for e in value if e not in known])
                elif key == "vitals":
                    session.setdefault("vitals", {}).update(value)
                else:
                    session[key] = value
            return repr(session) != before
    sessions.append(dict(new))
    sessions.sort(key=lambda s: str(s["date"]))
    return True


def same_doctor(on_file: str | None, named: str) -> bool:
    """Whether `named` is the physician on file: one name ends the other ("Dr. Lopez" for "Dr.
    Maria Lopez", "Dr. Lopez Garcia" for "Dr. Maria Lopez Garcia"), or the same surname with a
    first name that agrees ("Dr. M. Lopez"); "Dr. Ana Lopez" is someone else."""
    if not on_file:
        return False
    mine, theirs = (_name_words(n) for n in (on_file, named))
    if not mine or not theirs or mine[-1] != theirs[-1]:
        return False
    short, long = sorted((mine, theirs), key=len)
    if long[len(long) - len(short) :] == short:
        return True
    first, other = short[0], long[0]
    return first[0] == other[0] and (min(len(first), len(other)) == 1 or first == other)


_TITLES = frozenset(
    {"dr", "doctor", "md", "do", "phd", "mbbs", "facs", "frcs", "frcp", "pt", "dpt"}
)


def _name_words(name: str) -> list[str]:
    words = [w.strip(".,;()").lower() for w in name.replace(",", " ").split()]
    return [w for w in words if w and w not in _TITLES]


def merge_facts(
    case: ClientCase | None, name: str, facts: CaseFacts
) -> tuple[ClientCase, list[tuple[str, str]]]:
    """The case with the message's facts added, and (label key, value) pairs of what changed.

    Raises CaseInputError when the result is not a valid case (e.g. a date in the future).
    """
    data: dict[str, Any] = case.model_dump(mode="json", exclude_none=True) if case else {}
    data.setdefault("client", {"name": name})
    changes: list[tuple[str, str]] = []
    referral = data.setdefault("referral", {})
    on_file = referral.get("physician")
    if facts.physician and not same_doctor(on_file, facts.physician):
        referral["physician"] = facts.physician
        changes.append(("referral.physician", facts.physician))
    if facts.specialty and referral.get("specialty") != facts.specialty:
        referral["specialty"] = facts.specialty
        changes.append(("referral.specialty", facts.specialty))
    if not referral:
        data.pop("referral")
    diagnosis = facts.diagnosis[:1].upper() + facts.diagnosis[1:] if facts.diagnosis else None
    if diagnosis and data.get("diagnosis") != diagnosis:
        data["diagnosis"] = diagnosis
        changes.append(("diagnosis", diagnosis))
    if facts.icd10:
        data["icd10"] = facts.icd10
        changes.append(("icd10", facts.icd10))
    if facts.has_session and _merge_session(data.setdefault("sessions", []), facts.session):
        changes.append(("session", str(facts.session["date"])))
    for item in facts.assessments:
        if item not in data.setdefault("assessments", []):
            data["assessments"].append(item)
            changes.append(
                ("assessment", f"{item['measure']} {item['value']:g} {item['unit'] or ''}")
            )
    if facts.limits and any(data.get("limits", {}).get(k) != v for k, v in facts.limits.items()):
        data["limits"] = {**data.get("limits", {}), **facts.limits}
        changes.append(("limits", limits_text(facts.limits)))
    if facts.home_program and data.get("home_program") != facts.home_program:
        data["home_program"] = facts.home_program
        changes.append(("home_program", ", ".join(e["name"] for e in facts.home_program)))
    for goal in facts.goals:
        data.setdefault("goals", []).append({"text": goal[:1].upper() + goal[1:]})
        changes.append(("goal", goal))
    if facts.consent is not None and data.get("consent_on_file") != facts.consent:
        data["consent_on_file"] = facts.consent
        changes.append(("consent", "on file" if facts.consent else "not on file"))
    for precaution in facts.precautions:
        known = data.setdefault("precautions", [])
        if precaution.lower() not in (p.lower() for p in known):  # said again: kept once
            known.append(precaution[:1].upper() + precaution[1:])
            changes.append(("precaution", precaution))
    try:
        return ClientCase.model_validate(data), changes
    except ValidationError as exc:
        raise CaseInputError(validation_messages(exc)) from exc


def limits_text(limits: dict[str, Any]) -> str:
    """The limits as a practitioner would say them: "BP up to 150/95, HR up to 120"."""
    parts = []
    if "bp_max" in limits:
        parts.append(f"BP up to {limits['bp_max']}")
    if "hr_max" in limits:
        parts.append(f"HR up to {limits['hr_max']}")
    if "glucose_min" in limits and "glucose_max" in limits:
        parts.append(f"glucose {limits['glucose_min']}–{limits['glucose_max']} mg/dL")
    if "spo2_min" in limits:
        parts.append(f"SpO2 at or above {limits['spo2_min']}%")
    return ", ".join(parts)


def missing_required(kind: str, case: ClientCase, options: dict[str, Any]) -> list[str]:
    """Required fields (REQUIRED) the case and options do not have yet."""
    missing: list[str] = []
    for path in REQUIRED.get(kind, ()):
        if path == "session":
            ok = bool(case.sessions)
        elif path == "assessments":
            ok = bool(case.assessments)
        elif path == "referral.physician":
            ok = bool(case.referral and case.referral.physician)
        elif path == "referral.specialty":
            ok = bool(case.referral and case.referral.specialty)
        elif path == "diagnosis":
            ok = bool(case.diagnosis)
        elif path.startswith("options."):
            ok = bool(options.get(path.removeprefix("options.")))
        else:
            ok = True
        if not ok:
            missing.append(path)
    return missing
