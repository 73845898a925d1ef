"""Extractive, grounded answers: the best sentences of the top passages, each with a citation.

Every sentence of an answer is copied from a retrieved passage and ends with the number of that
passage; the numbered sources follow. When no sentence is close enough to the question the
answer is None and the caller says it does not know.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from assistant.chat.schemas import Citation
from assistant.embeddings import Embedder, Vectors
from assistant.retrieval import SearchResult

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_WORD = re.compile(r"[a-z0-9]+(?:[–\-][a-z0-9]+)*")
_ENUMERATION = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|then|hi|hey)\W+){0,3}(?:what|which)\s+(?:are|were)\b"
    r"|\b(?:list|name|enumerate)\s+(?:all\s+|the\s+|of\s+)",
    re.IGNORECASE,
)
"""A question asking for the members of a set ("what are the red flags", "list the skills"):
its answer includes the best-matching list of a passage it already quotes, even when a single
sentence scores higher."""
_STOP = frozenset(
    "a an and are as at be before by can do does for from how i in is it me my of on or should "
    "the to what when which who why with you your".split()
)


@dataclass(frozen=True)
class Unit:
    """A sentence (or a lead-in sentence with its list) of one passage."""

    text: str
    passage: int
    position: int


@dataclass(frozen=True)
class AnswerSettings:
    passages: int = 4
    max_units: int = 3
    per_passage: int = 2
    min_similarity: float = 0.42
    """Below this cosine similarity of the best sentence, the answer is "I don't know"."""
    keep_ratio: float = 0.8
    """Other sentences are kept when they score at least this share of the best one."""


@dataclass
class Answer:
    """A grounded answer: Markdown body (every sentence cited) and its citations."""

    body: str
    citations: list[Citation]
    units: list[Unit] = field(default_factory=list)
    passages: list[SearchResult] = field(default_factory=list)

    @property
    def sources_text(self) -> list[str]:
        return [p.text for p in self.passages]


MAX_LIST_ITEMS = 20
"""A list quoted with its lead-in sentence keeps up to this many items (the framework's longest
has 10: a list is never cut short, "nine red flags" lists nine)."""


def split_units(text: str) -> list[str]:
    """Sentences of a passage; a sentence ending in ':' keeps the list that follows it."""
    units: list[str] = []
    lines = [line.rstrip() for line in text.splitlines()]
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        i += 1
        if not line or line.startswith("#") or line.startswith("|"):
            continue
        if _BULLET.match(line):
            units.append(line)
            continue
        sentences = [s.strip() for s in _SENTENCE.split(line) if s.strip()]
        if sentences and i < len(lines) and _BULLET.match(lines[i]):
            items: list[str] = []
            while i < len(lines) and (_BULLET.match(lines[i]) or not lines[i].strip()):
                if lines[i].strip():
                    items.append(lines[i].strip())
                i += 1
                if len(items) >= MAX_LIST_ITEMS:
                    break
            if items:
                sentences[-1] = sentences[-1] + "\n" + "\n".join(items)
        units.extend(sentences)
    return [u for u in units if len(u) >= 25]


@lru_cache(maxsize=16384)
def _words(text: str) -> frozenset[str]:
    """Content words of a text (memoised: the same corpus sentences are scored every turn)."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def _lead_in(unit: str) -> str:
    """What a unit is about: a sentence, or the lead-in of a list (its items would dilute it)."""
    return unit.split("\n", 1)[0]


def _cite(unit: str, n: int) -> str:
    """Put the marker at the end of the sentence (or of its lead-in line and list)."""
    return f"{unit} [{n}]"


class Answerer:
    """Composes extractive answers; the sentences of a passage and their vectors are cached
    (the corpus is small and the same passages come back turn after turn)."""

    def __init__(
        self, embedder: Embedder, settings: AnswerSettings | None = None, cache_size: int = 8192
    ) -> None:
        self.embedder = embedder
        self.settings = settings or AnswerSettings()
        self._cache: OrderedDict[str, Vectors] = OrderedDict()
        self._cache_size = cache_size
        self._units: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def _split(self, passage: str) -> tuple[str, ...]:
        """split_units of a passage, memoised by its text."""
        with self._lock:
            hit = self._units.get(passage)
            if hit is not None:
                self._units.move_to_end(passage)
                return hit
        units = tuple(split_units(passage))
        with self._lock:
            self._units[passage] = units
            while len(self._units) > self._cache_size // 4:
                self._units.popitem(last=False)
        return units

    def _vectors(self, texts: Sequence[str]) -> Vectors:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            fresh = self.embedder.embed(missing)
            with self._lock:
                for text, vector in zip(missing, fresh, strict=True):
                    self._cache[text] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            return np.stack([self._cache[t] for t in texts])

    def score(
        self, question: str, units: Sequence[Unit], ranks: Sequence[float] = ()
    ) -> list[float]:
        """Cosine similarity to the question, nudged by shared words and the passage's rank."""
        if not units:
            return []
        query = self.embedder.embed_query(question)
        sims = self._vectors([_lead_in(u.text) for u in units]) @ query
        asked = _words(question)
        scores = []
        for unit, sim in zip(units, sims, strict=True):
            overlap = len(asked & _words(unit.text)) / max(1, len(asked))
            bonus = ranks[unit.passage] if unit.passage < len(ranks) else 0.0
            scores.append(float(sim) + 0.1 * overlap + 0.1 * bonus)
        return scores

    def rank_texts(self, question: str, texts: Sequence[str]) -> list[str]:
        """`texts` ordered by similarity to the question (for suggestions)."""
        if not texts:
            return []
        sims = self._vectors(texts) @ self.embedder.embed_query(question)
        order = np.argsort(-sims, kind="stable")
        return [texts[int(i)] for i in order]

    def compose(
        self,
        question: str,
        passages: Sequence[SearchResult],
        reject: Callable[[str], bool] | None = None,
    ) -> Answer | None:
        """The answer, or None when no passage answers the question well enough.

        `reject` drops sentences that must not be repeated (the guard's output check).
        """
        cfg = self.settings
        top = [p for p in passages if not p.flagged][: cfg.passages]
        units = [
            Unit(text, i, j)
            for i, p in enumerate(top)
            for j, text in enumerate(self._split(p.text))
            if reject is None or not reject(text)
        ]
        best_score = max((p.score for p in top), default=0.0) or 1.0
        scores = self.score(question, units, [max(0.0, p.score) / best_score for p in top])
        if not scores or max(scores) < cfg.min_similarity:
            return None
        best = max(scores)
        ranked = sorted(zip(units, scores, strict=True), key=lambda us: -us[1])
        chosen: list[Unit] = []
        per: dict[int, int] = {}
        for unit, value in ranked:
            if len(chosen) >= cfg.max_units or value < best * cfg.keep_ratio:
                break
            if per.get(unit.passage, 0) >= cfg.per_passage:
                continue
            if any(_words(unit.text) <= _words(c.text) for c in chosen):
                continue
            chosen.append(unit)
            per[unit.passage] = per.get(unit.passage, 0) + 1
        if _ENUMERATION.search(question) and not any("\n" in c.text for c in chosen):
            answering = {c.passage for c in chosen}  # never a list from a passage not chosen
            chosen.extend(
                [
                    u
                    for u, v in ranked
                    if "\n" in u.text and u.passage in answering and v >= cfg.min_similarity
                ][:1]
            )
        scored = {(u.passage, u.position): (u, v) for u, v in ranked}
        for unit in [c for c in chosen if "\n" in c.text]:  # what follows a quoted list
            after = scored.get((unit.passage, unit.position + 1))
            if after and after[0] not in chosen and after[1] >= cfg.min_similarity:
                chosen.append(after[0])
        chosen.sort(key=lambda u: (u.passage, u.position))
        numbers: dict[int, int] = {}
        for unit in chosen:
            numbers.setdefault(unit.passage, len(numbers) + 1)
        used = [top[i] for i in numbers]
        citations = [
            Citation(
                n=numbers[i],
                source=top[i].source,
                title=top[i].title,
                section=top[i].section,
                snippet=next(u.text for u in chosen if u.passage == i)[:300],
            )
            for i in numbers
        ]
        paragraphs: list[str] = []
        for unit in chosen:
            piece = _cite(unit.text, numbers[unit.passage])
            if "\n" in unit.text or (paragraphs and "\n" in paragraphs[-1]):
                paragraphs.append(piece)
            elif paragraphs:
                paragraphs[-1] += " " + piece
            else:
                paragraphs.append(piece)
        return Answer(
            body="\n\n".join(paragraphs), citations=citations, units=chosen, passages=used
        )
