"""Exercises that may go against a precaution the physician gave ("No kneeling" and a
"Half-kneeling chop"): matched on the one activity word each precaution names."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.models import ClientCase, Session

_NEGATOR = re.compile(r"^\s*(?:no|avoid(?:ing)?|do not|don'?t|never|not)\s+(.+)$", re.I)
_QUALIFIER = re.compile(
    r"\s+(?:for|past|beyond|over|above|below|under|until|on|with|without|in|during|after|"
    r"before|more than|greater than|unless|except|at|of the (?:left|right))\b.*$|[<>(\d].*$",
    re.I,
)
_GENERIC = frozenset(
    {"work", "activity", "activities", "exercise", "exercises", "movement", "movements",
     "training", "loading", "sports", "sport", "positions", "position", "the", "a", "any", "all"}
)  # fmt: skip


@dataclass(frozen=True)
class Conflict:
    date: dt.date
    exercise: str
    precaution: str


def stem(word: str) -> str:
    """A crude stem: 'kneeling' -> 'kneel', 'running' -> 'run' (plurals are left to `same`)."""
    word = word.lower()
    if word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
        if word[-1] == word[-2] and word[-1] not in "aeiousl":
            word = word[:-1]  # runn -> run; "kneel", "cross" stay
    return word


def same(activity_stem: str, word: str) -> bool:
    """Whether an exercise's word names the activity ('lunge' / 'lunges', 'press' / 'presses')."""
    word = stem(word)
    short, long = sorted((activity_stem, word), key=len)
    return len(short) >= 3 and long.startswith(short) and len(long) - len(short) <= 2


def activity(precaution: str) -> str | None:
    """The stem of the activity a precaution forbids ('No deep squats past 90 degrees' ->
    'squat'); None for a precaution that forbids nothing by name."""
    found = _NEGATOR.match(precaution)
    if not found:
        return None
    words = re.findall(r"[a-z]+", _QUALIFIER.sub("", found[1]).lower())
    words = [w for w in words if w not in _GENERIC]
    if not words:
        return None
    head = words[0] if words[0].endswith("ing") else words[-1]  # "crossing the legs"
    return stem(head) if len(head) >= 4 else None


def conflicts(case: ClientCase, sessions: list[Session] | None = None) -> list[Conflict]:
    """Each exercise of `sessions` (default: all) that names a precaution's activity."""
    stems = [(p, activity(p)) for p in case.precautions]
    wanted = [(p, s) for p, s in stems if s]
    found: list[Conflict] = []
    for session in case.sessions if sessions is None else sessions:
        for exercise in session.exercises:
            words = re.findall(r"[A-Za-z]+", exercise.name)
            for precaution, activity_stem in wanted:
                if any(same(activity_stem, word) for word in words):
                    found.append(Conflict(session.date, exercise.name, precaution))
    return found
