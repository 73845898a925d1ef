"""Exercises that may go against a precaution the physician gave ("No kneeling" and a
"Half-kneeling chop"): matched on the activity words each precaution names."""

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
_ALTERNATIVES = re.compile(r"\s*(?:,|/|\bor\b|\band\b|\bnor\b)\s*", re.I)
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
    """A crude stem: 'kneeling' -> 'kneel', 'running' -> 'run', 'presses' -> 'press',
    'lunges' -> 'lunge', 'push-ups' -> 'pushup'."""
    word = word.lower().replace("-", "")
    if word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
        if word[-1] == word[-2] and word[-1] not in "aeiousl":
            word = word[:-1]  # runn -> run; "kneel", "cross" stay
    elif re.search(r"(?:ss|x|z|ch|sh)es$", word):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    return word


def _words(text: str) -> set[str]:
    """The stems of a name's words, hyphenated words also whole ('push-ups' -> 'pushup')."""
    tokens = re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower())
    parts = {p for t in tokens for p in t.split("-")}
    return {stem(w) for w in (*tokens, *parts) if len(w) >= 3}


def activities(precaution: str) -> list[str]:
    """The stems of the activities a precaution forbids ('No lunges or deep squats past 90
    degrees' -> ['lunge', 'squat']); [] for a precaution that forbids nothing by name."""
    found = _NEGATOR.match(precaution)
    if not found:
        return []
    stems: list[str] = []
    for part in _ALTERNATIVES.split(_QUALIFIER.sub("", found[1])):
        tokens = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)*", part.lower()) if w not in _GENERIC]
        if not tokens:
            continue
        head = tokens[0] if tokens[0].endswith("ing") else tokens[-1]  # "crossing the legs"
        if len(head) >= 4:
            stems.append(stem(head))
    return stems


def conflicts(case: ClientCase, sessions: list[Session] | None = None) -> list[Conflict]:
    """Each exercise of `sessions` (default: all) that names a precaution's activity."""
    wanted = [(p, set(activities(p))) for p in case.precautions]
    found: list[Conflict] = []
    for session in case.sessions if sessions is None else sessions:
        for exercise in session.exercises:
            words = _words(exercise.name)
            for precaution, stems in wanted:
                if stems & words:
                    found.append(Conflict(session.date, exercise.name, precaution))
    return found
