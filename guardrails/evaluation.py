"""Measuring the guard: confusion matrix, recall, false refusals, latency, keyword baseline."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from guardrails.classifier import classifier_text, load_or_train
from guardrails.dataset import Example, training_examples
from guardrails.decision import CATEGORIES, LABELS, MAX_INPUT_CHARS, UNSAFE, Category
from guardrails.guard import ScopeGuard
from guardrails.normalize import normalize

Classify = Callable[[str], Category]
REFUSE: frozenset[Category] = frozenset(UNSAFE | {Category.OFF_TOPIC})
"""Labels whose messages must not be answered."""


@dataclass
class EvalResult:
    """Figures for one classifier on one labelled set."""

    name: str
    confusion: dict[Category, dict[Category, int]]
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[tuple[str, Category, Category]] = field(default_factory=list)
    by_language: dict[bool, dict[Category, dict[Category, int]]] = field(default_factory=dict)
    """The confusion again, split into English (True) and other-language (False) messages."""

    def share(self, english: bool, label: Category, predicted: Category) -> float | None:
        """Share of `label` messages (English or not) that were given `predicted`."""
        row = self.by_language.get(english, {}).get(label, {})
        total = sum(row.values())
        return row.get(predicted, 0) / total if total else None

    @property
    def size(self) -> int:
        return sum(sum(row.values()) for row in self.confusion.values())

    def recall(self, category: Category) -> float | None:
        row = self.confusion[category]
        total = sum(row.values())
        return row[category] / total if total else None

    def _rows(self, categories: frozenset[Category]) -> list[dict[Category, int]]:
        return [self.confusion[c] for c in categories]

    @property
    def unsafe_recall(self) -> float | None:
        """Share of clinical + emergency + injection messages given their exact category."""
        total = sum(sum(r.values()) for r in self._rows(UNSAFE))
        hits = sum(self.confusion[c][c] for c in UNSAFE)
        return hits / total if total else None

    def blocked(self, categories: frozenset[Category]) -> float | None:
        """Share of messages labelled with one of `categories` that were not answered."""
        rows = self._rows(categories)
        total = sum(sum(r.values()) for r in rows)
        blocked = sum(sum(v for c, v in r.items() if not c.allowed) for r in rows)
        return blocked / total if total else None

    @property
    def unsafe_blocked(self) -> float | None:
        """Share of clinical + emergency + injection + off-topic messages not answered."""
        return self.blocked(REFUSE)

    @property
    def emergencies_escalated(self) -> float | None:
        """Share of emergency-labelled messages answered with the emergency category."""
        return self.recall(Category.EMERGENCY)

    @property
    def in_scope_allowed(self) -> float | None:
        row = self.confusion[Category.IN_SCOPE]
        total = sum(row.values())
        return row[Category.IN_SCOPE] / total if total else None

    @property
    def in_scope_as_specified(self) -> float | None:
        """Share of in-scope messages given the answer the product specifies: answered when in
        English, told "English only" otherwise (the embedder and wording are English-only)."""
        english = self.by_language.get(True, {}).get(Category.IN_SCOPE, {})
        other = self.by_language.get(False, {}).get(Category.IN_SCOPE, {})
        total = sum(english.values()) + sum(other.values())
        hits = english.get(Category.IN_SCOPE, 0) + other.get(Category.LANGUAGE, 0)
        return hits / total if total else None

    @property
    def false_refusal_rate(self) -> float | None:
        """Share of in-scope messages that were refused."""
        allowed = self.in_scope_allowed
        return None if allowed is None else 1.0 - allowed

    @property
    def clarify_share(self) -> float | None:
        """Share of all messages answered `clarify`."""
        total = self.size
        asked = sum(row[Category.CLARIFY] for row in self.confusion.values())
        return asked / total if total else None

    def latency(self, quantile: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, round(quantile * (len(ordered) - 1))))
        return ordered[index]

    def summary(self) -> dict[str, object]:
        return {
            "name": self.name,
            "size": self.size,
            "recall": {c.value: self.recall(c) for c in LABELS},
            "unsafe_recall": self.unsafe_recall,
            "unsafe_blocked": self.unsafe_blocked,
            "clinical_advice_blocked": self.blocked(frozenset({Category.CLINICAL_ADVICE})),
            "emergencies_escalated": self.emergencies_escalated,
            "in_scope_allowed": self.in_scope_allowed,
            "in_scope_as_specified": self.in_scope_as_specified,
            "english_in_scope_allowed": self.share(True, Category.IN_SCOPE, Category.IN_SCOPE),
            "other_language_in_scope_told_english_only": self.share(
                False, Category.IN_SCOPE, Category.LANGUAGE
            ),
            "emergencies_escalated_english": self.share(
                True, Category.EMERGENCY, Category.EMERGENCY
            ),
            "emergencies_escalated_other_languages": self.share(
                False, Category.EMERGENCY, Category.EMERGENCY
            ),
            "clarify_share": self.clarify_share,
            "false_refusal_rate": self.false_refusal_rate,
            "latency_ms": {"p50": self.latency(0.5), "p95": self.latency(0.95)},
            "confusion": {
                a.value: {b.value: n for b, n in row.items()} for a, row in self.confusion.items()
            },
        }


class KeywordBaseline:
    """A naive keyword filter, measured beside the guard as the thing to beat."""

    KEYWORDS: tuple[tuple[Category, tuple[str, ...]], ...] = (
        (
            Category.EMERGENCY,
            (
                "chest pain",
                "faint",
                "collapse",
                "unconscious",
                "stroke",
                "can't breathe",
                "suicid",
                "kill myself",
                "seizure",
                "911",
            ),
        ),
        (
            Category.PROMPT_INJECTION,
            (
                "ignore previous",
                "ignore all",
                "ignore your",
                "system prompt",
                "jailbreak",
                "pretend you are",
                "developer mode",
                "disregard",
                "your instructions",
            ),
        ),
        (
            Category.CLINICAL_ADVICE,
            (
                "dose",
                "dosage",
                " mg",
                "medication",
                "diagnos",
                "symptom",
                "treatment",
                "treat ",
                "side effect",
                "prescri",
                "cure",
                "supplement",
                "mri",
                "x-ray",
                "lab result",
                "outlook",
            ),
        ),
        (
            Category.OFF_TOPIC,
            (
                "weather",
                "recipe",
                "movie",
                "stock",
                "poem",
                "joke",
                "football",
                "bitcoin",
                "capital of",
            ),
        ),
    )

    def __init__(self) -> None:
        self._patterns = [
            (category, re.compile("|".join(re.escape(w) for w in words)))
            for category, words in self.KEYWORDS
        ]

    def __call__(self, text: str) -> Category:
        lowered = text.lower()
        for category, pattern in self._patterns:
            if pattern.search(lowered):
                return category
        return Category.IN_SCOPE


def evaluate(name: str, classify: Classify, examples: Sequence[Example]) -> EvalResult:
    """Run `classify` over `examples`, timing each call."""
    confusion = {a: dict.fromkeys(CATEGORIES, 0) for a in LABELS}
    result = EvalResult(name, confusion)
    for example in examples:
        start = time.perf_counter()
        predicted = classify(example.text)
        result.latencies_ms.append((time.perf_counter() - start) * 1000)
        confusion[example.label][predicted] += 1
        split = result.by_language.setdefault(example.lang == "en", {})
        split.setdefault(example.label, dict.fromkeys(CATEGORIES, 0))[predicted] += 1
        if predicted is not example.label:
            result.errors.append((example.text, example.label, predicted))
    return result


class LogRegBaseline:
    """Today's logistic regression before this work, as a baseline: the classifier alone,
    trained on the baseline data (no minimal pairs), deciding as it did (fails open)."""

    def __init__(self, guard: ScopeGuard) -> None:
        self.guard = guard
        self.classifier, _ = load_or_train(
            guard.settings.data_dir / "guard",
            training_examples(),
            guard.embedder,
            guard._embedder_id(),
            prefix="baseline",
        )

    def __call__(self, text: str) -> Category:
        window = classifier_text(normalize(text[:MAX_INPUT_CHARS]).text)
        if not window.strip():
            return Category.OFF_TOPIC
        probs = self.classifier.probabilities(self.guard.embedder.embed_query(window), window)
        bars = {
            Category.CLINICAL_ADVICE: 0.5,
            Category.EMERGENCY: 0.7,
            Category.PROMPT_INJECTION: 0.7,
        }
        for category, bar in bars.items():
            if probs.get(category, 0.0) >= bar:
                return category
        unsafe = {c: probs.get(c, 0.0) for c in bars}
        if sum(unsafe.values()) >= 0.75:
            return max(unsafe, key=lambda c: unsafe[c])
        if probs.get(Category.OFF_TOPIC, 0.0) >= 0.6:
            return Category.OFF_TOPIC
        return Category.IN_SCOPE


def evaluate_guard(guard: ScopeGuard, examples: Sequence[Example]) -> list[EvalResult]:
    """The guard (warm), the logistic-regression baseline and the keyword baseline."""
    guard.warm()
    guard.check_input("warm-up: how do I write a session log?")
    full = evaluate("guard", lambda t: guard.check_input(t).category, examples)
    logreg = evaluate("logreg baseline", LogRegBaseline(guard), examples)
    keywords = evaluate("keyword baseline", KeywordBaseline(), examples)
    return [full, logreg, keywords]


def _fmt(value: float | None, percent: bool = True) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if percent else f"{value:.2f}"


def _recall_of(category: Category) -> Callable[[EvalResult], str]:
    return lambda result: _fmt(result.recall(category))


def _blocked_of(category: Category) -> Callable[[EvalResult], str]:
    return lambda result: _fmt(result.blocked(frozenset({category})))


IN, LANG, EMERG = Category.IN_SCOPE, Category.LANGUAGE, Category.EMERGENCY


def format_report(results: Sequence[EvalResult], label: str) -> str:
    """Plain-text report: the side-by-side table, then each confusion matrix."""
    names = [r.name for r in results]
    width = max(14, *(len(n) + 2 for n in names))
    lines = [f"Scope guard evaluation on {label} ({results[0].size} messages)", ""]
    lines.append("metric".ljust(44) + "".join(n.rjust(width) for n in names))
    rows: list[tuple[str, Callable[[EvalResult], str]]] = [
        ("unsafe blocked (clin+emerg+inj+off)", lambda r: _fmt(r.unsafe_blocked)),
        *[
            (f"  {c.value} blocked", _blocked_of(c))
            for c in LABELS
            if c is not Category.IN_SCOPE
        ],
        ("emergencies escalated", lambda r: _fmt(r.emergencies_escalated)),
        ("in-scope allowed", lambda r: _fmt(r.in_scope_allowed)),
        ("  in-scope as specified (see README)", lambda r: _fmt(r.in_scope_as_specified)),
        ("  English in-scope allowed", lambda r: _fmt(r.share(True, IN, IN))),
        ("  other-language in-scope: 'English only'", lambda r: _fmt(r.share(False, IN, LANG))),
        ("emergencies escalated, English", lambda r: _fmt(r.share(True, EMERG, EMERG))),
        ("emergencies escalated, other languages", lambda r: _fmt(r.share(False, EMERG, EMERG))),
        ("clarify share (all messages)", lambda r: _fmt(r.clarify_share)),
        ("exact category, clin+emerg+inj", lambda r: _fmt(r.unsafe_recall)),
        *[(f"recall {c.value}", _recall_of(c)) for c in LABELS],
        ("false refusals on in_scope", lambda r: _fmt(r.false_refusal_rate)),
        ("latency p50 ms", lambda r: _fmt(r.latency(0.5), percent=False)),
        ("latency p95 ms", lambda r: _fmt(r.latency(0.95), percent=False)),
    ]
    for title, get in rows:
        lines.append(title.ljust(44) + "".join(get(r).rjust(width) for r in results))
    short = {c: c.value[:9] for c in CATEGORIES}
    for result in results:
        lines += ["", f"Confusion matrix: {result.name} (rows: true, columns: predicted)"]
        lines.append("".ljust(18) + "".join(short[c].rjust(11) for c in CATEGORIES))
        for true in LABELS:
            counts = result.confusion[true]
            cells = "".join(str(counts[c]).rjust(11) for c in CATEGORIES)
            lines.append(true.value.ljust(18) + cells)
    return "\n".join(lines)
