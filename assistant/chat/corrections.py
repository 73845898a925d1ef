"""Corrections to what was recorded: an exercise ("sorry, it was 3x12 not 3x10", "change
Maria's sit-to-stand today to 3x12") or the client's name ("her name is spelled Katherine").

A correction changes the sets and reps of one exercise of one session, or the name; it never
adds a row, and nothing of it is read as a diagnosis or a new exercise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from assistant.models import ClientCase

_SR = r"(\d{1,2})\s*[x×]\s*(\d{1,3})\b"
_NOT_NOW = re.compile(
    r"\b(next|plan|from now|going forward|later|tomorrow|don'?t|do not|never|won'?t|shouldn'?t)\b",
    re.I,
)
_NEW_NOT_OLD = re.compile(_SR + r"\s*,?\s*(?:not|instead of|rather than)\s+" + _SR, re.I)
_NOT_OLD_NEW = re.compile(
    r"\bnot\s+" + _SR + r"\s*[,;:]?\s*(?:but|it was|it's|should be|->|→)?\s*" + _SR, re.I
)
_CHANGE_TO = re.compile(
    r"\b(?:change|correct|update|fix|make)\s+(.{2,80}?)\s+(?:to|->|→)\s+" + _SR, re.I
)
_WERE = re.compile(
    r"^\s*(?:(?:sorry|oops|actually|correction|wait)\b[\s,:!-]*)+(.{2,60}?)\s+"
    r"(?:were|was|should be|should have been|are)\s+" + _SR,
    re.I,
)
"""'actually the step ups were 2x12': the exercise named, its new sets x reps."""
_NEW_LOAD = re.compile(
    r"\d\s*[x×]\s*\d{1,3}\s*(?:reps?\s*)?(?:with|w/|w\b|at|@|using|,)\s*"
    r"(\d{1,3}(?:\.\d{1,2})?\s*(?:kg|kgs|lb|lbs|pounds?|kilos?)\b)",
    re.I,
)
_NOISE = re.compile(
    r"\b(sorry|oops|actually|it|that|this|one|no|oh|wait|was|were|is|are|the|her|his|their|"
    r"today'?s?|yesterday'?s?|"
    r"session|log|in|on|for|of|my|mistake|typo|should|be|wrong|\w+['’]s)\b|[^\w\s-]",
    re.I,
)


@dataclass(frozen=True)
class Correction:
    """New sets x reps for an exercise: the one that had `old`, or the one named `hint`."""

    new: tuple[int, int]
    old: tuple[int, int] | None
    hint: str
    load: str | None = None
    """A load given with the new sets x reps ("3x8 with 5 kg"), recorded with them."""


def read_correction(text: str) -> Correction | None:
    """The correction a message makes, if it is one: a statement (not a question) with no
    other sets x reps than the two it compares."""
    if "?" in text or len(re.findall(_SR, text, re.I)) > 2 or len(text) > 300:
        return None
    fix = _read_sets_and_reps(text)
    if fix is None:
        return None
    load = _NEW_LOAD.search(text)
    return replace(fix, load=" ".join(load[1].split())) if load else fix


def _read_sets_and_reps(text: str) -> Correction | None:
    if _NOT_NOW.search(text):  # a plan for later, or "don't change ...": not a correction
        return None
    m = _NEW_NOT_OLD.search(text)
    if m:
        return Correction((int(m[1]), int(m[2])), (int(m[3]), int(m[4])), _hint(text[: m.start()]))
    m = _NOT_OLD_NEW.search(text)
    if m:
        return Correction((int(m[3]), int(m[4])), (int(m[1]), int(m[2])), _hint(text[: m.start()]))
    m = _CHANGE_TO.search(text)
    if m is None and len(re.findall(_SR, text, re.I)) == 1:  # not a log of several exercises
        m = _WERE.search(text)
    if m:
        hint = _hint(m[1])
        return Correction((int(m[2]), int(m[3])), None, hint) if hint else None
    return None


def _hint(words: str) -> str:
    return " ".join(_NOISE.sub(" ", words).split()).lower()


def _stem(word: str) -> str:
    return word.lower().rstrip("s")


def _named(exercise: dict[str, Any], hint: str) -> bool:
    wanted = {_stem(w) for w in re.split(r"[\s-]+", hint) if len(w) > 2}
    have = {_stem(w) for w in re.split(r"[\s-]+", str(exercise.get("name", ""))) if w}
    return bool(wanted) and wanted <= have


def apply_correction(session: dict[str, Any], fix: Correction) -> dict[str, Any] | None:
    """The one exercise of `session` the correction is about, changed in place (None when no
    single exercise fits: nothing is changed then)."""
    exercises = session.get("exercises") or []
    named = [e for e in exercises if fix.hint and _named(e, fix.hint)]
    if fix.old is None or (fix.hint and not named):
        fits = named  # a name that is not in the session changes nothing
    else:
        fits = [e for e in named or exercises if (e.get("sets"), e.get("reps")) == fix.old]
    if len(fits) != 1:
        return None
    fits[0]["sets"], fits[0]["reps"] = fix.new
    if fix.load:
        fits[0]["load"] = fix.load
    return fits[0]


def correct_case(
    case: ClientCase, fix: Correction, day: str | None
) -> tuple[ClientCase, dict[str, Any], str] | None:
    """The case with the correction made to the session of `day` (else the latest), the
    exercise as corrected and the session's date; None when no single exercise fits."""
    data = case.model_dump(mode="json", exclude_none=True)
    sessions = data.get("sessions") or []
    chosen = [s for s in sessions if s.get("date") == day] if day else sessions[-1:]
    if not chosen:
        return None
    exercise = apply_correction(chosen[-1], fix)
    if exercise is None:
        return None
    try:
        return ClientCase.model_validate(data), exercise, str(chosen[-1]["date"])
    except ValidationError:  # e.g. 60 sets: nothing is changed
        return None


_WORD = r"[A-Z][a-z'’\-]+"
_SPELLED = re.compile(
    r"\b(?:spelled|spelt|written|should be|is actually|(?:no wait,?\s+)?it'?s|it is)\s+"
    r"(?!Dr\b|Doctor\b)(" + _WORD + r"(?:\s+" + _WORD + r")?)\s*[.!]?\s*$"
)
_RENAME = re.compile(
    # whose name: "her", "his", "their", "the client's" or a capitalised "Tom Baker's", never
    # "his cardiologist's" or "the exercise"
    r"(?:^|\b(?:[Hh]er|[Hh]is|[Tt]heir|[Tt]he client['’]s|"
    + _WORD + r"(?:\s+" + _WORD + r")?['’]s))"
    r"\s*name\s+(?:is\s+(?:actually\s+|really\s+)?(?:spelled|spelt|written)|should\s+be|"
    r"is\s+actually)\b"
)
_MY_NAME = re.compile(r"\b(my|your)\s+name\b", re.I)  # the practitioner's or the assistant's


def read_new_name(text: str) -> str | None:
    """The client's name as the message spells it ("... spelled Margaret Olson"): the message
    says the name is spelled (or should be) and ends with the name; the last name given wins
    ("Margret Olsen, no wait, it's Margaret Olson")."""
    if len(text) > 300 or "?" in text or not _RENAME.search(text) or _MY_NAME.search(text):
        return None
    m = _SPELLED.search(text.strip())
    return m[1] if m else None


def renamed(case: ClientCase, spelled: str) -> ClientCase:
    """The case under the corrected name; a first name alone keeps the surname on file."""
    assert case.client is not None
    old = case.client.name.split()
    new = spelled.split()
    if len(new) == 1 and len(old) > 1:
        new = [new[0], *old[1:]]
    client = case.client.model_copy(update={"name": " ".join(new)})
    return case.model_copy(update={"client": client})
