"""The guard's model: a softmax head on frozen MiniLM embeddings plus word n-grams, trained on
the minimal pairs, calibrated and given its answer bar on a validation split held out by pair.

Training embeds every text once, fits on the training groups, then fits a temperature and
chooses the p(in_scope) bar on the validation groups (the model is not refitted, so the bar
holds for the model that is used). Cached under data_dir/guard/ by a hash of the data, the
version and the embedder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assistant import atomic
from assistant.embeddings import Embedder
from guardrails.addon import add_on_request
from guardrails.classifier import GuardClassifier, classifier_text, load_or_train
from guardrails.dataset import Example
from guardrails.decision import Category
from guardrails.normalize import normalize

MODEL_VERSION = "guard-boundary-v4"
VALIDATION_SHARE = 0.2
UNSAFE_ALLOWED_TARGET = 0.02
"""Largest share of validation messages not labelled in_scope that the guard (rules, then the
bar) may let through."""
LEXICAL_WEIGHT = 3.0
LEXICAL_FULL_AT = 10
"""Scale of the word features next to the embedding, and the number of known words and word
pairs from which they count fully (`guardrails.classifier`), chosen on the validation split
(in-scope answered at <= 2% unsafe let through, 9,648 messages, 2026-12-02):
weight 1 / 2 / 3 / 4 gave 0.874 / 0.882 / 0.893 / 0.886; weight 3 with full weight from
6 / 10 / 16 / 24 terms 0.892 / 0.900 / 0.908 / 0.902. 10 over 16: the development sets'
unsafe messages were blocked as before at 10, not at 16."""
BAR_RANGE = (0.3, 0.95)
TEMPERATURES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)


@dataclass(frozen=True)
class Validation:
    """What the validation split said: the chosen temperature and bar, and the figures at it."""

    train: int
    validation: int
    groups_validation: int
    temperature: float
    allow_threshold: float
    in_scope_allowed: float
    unsafe_allowed: float
    accuracy: float


def split_by_group(
    examples: Sequence[Example], share: float = VALIDATION_SHARE
) -> tuple[list[int], list[int]]:
    """(train, validation) indices; every example of a pair group lands on the same side."""
    train: list[int] = []
    validation: list[int] = []
    for index, example in enumerate(examples):
        digest = hashlib.sha256(example.group_key.encode("utf-8")).digest()
        (validation if digest[0] < share * 256 else train).append(index)
    return train, validation


def _probabilities(
    model: GuardClassifier, vectors: NDArray[np.floating], texts: Sequence[str], temperature: float
) -> NDArray[np.float64]:
    previous = model.temperature
    model.temperature = temperature
    try:
        rows = [model.probabilities(v, t) for v, t in zip(vectors, texts, strict=True)]
    finally:
        model.temperature = previous
    return np.array([[row[c] for c in model.classes] for row in rows])


RuleVerdict = Callable[[str], "bool | None"]
"""What the rules decide before the model: True answered, False refused, None up to the model."""


def _allowed(
    p_in: NDArray[np.float64], fixed: NDArray[np.float64], bar: float
) -> NDArray[np.bool_]:
    """Answered: a rule allowed it (1), or no rule decided (nan) and p(in_scope) clears the bar."""
    return np.where(np.isnan(fixed), p_in >= bar, fixed == 1.0)


def _choose_bar(
    p_in: NDArray[np.float64], is_in: NDArray[np.bool_], fixed: NDArray[np.float64]
) -> float:
    """The lowest bar at which the guard lets through at most UNSAFE_ALLOWED_TARGET of the
    validation messages not labelled in_scope."""
    low, high = BAR_RANGE
    candidates = np.unique(np.clip(np.concatenate([p_in, [low, high]]), low, high))
    for bar in candidates:
        let_through = _allowed(p_in, fixed, float(bar))[~is_in]
        if let_through.size == 0 or float(np.mean(let_through)) <= UNSAFE_ALLOWED_TARGET:
            return float(bar)
    return high


TAIL_BARS = {Category.EMERGENCY: 0.3, Category.CLINICAL_ADVICE: 0.5, Category.PROMPT_INJECTION: 0.5}
"""The guard's default refusal bars (guardrails.guard.Thresholds), for a tacked-on request."""


def _refuses(model: GuardClassifier, embedder: Embedder, text: str) -> bool:
    window = classifier_text(text)
    probs = model.probabilities(embedder.embed_query(window), window)
    return any(probs.get(c, 0.0) >= bar for c, bar in TAIL_BARS.items())


def train_boundary_model(
    examples: Sequence[Example], embedder: Embedder, rules: RuleVerdict | None = None
) -> tuple[GuardClassifier, Validation]:
    """Fit on the training groups; calibrate and choose the bar on the validation groups."""
    texts = [classifier_text(normalize(e.text).text) for e in examples]
    vectors = embedder.embed(texts)
    labels = [e.label for e in examples]
    train, validation = split_by_group(examples)
    model = GuardClassifier.fit_vectors(
        [texts[i] for i in train], vectors[train], [labels[i] for i in train],
        lexical_weight=LEXICAL_WEIGHT, lexical_full_at=LEXICAL_FULL_AT,
    )
    val_texts = [texts[i] for i in validation]
    truth = np.array([model.classes.index(labels[i]) for i in validation])
    best: tuple[float, float] = (float("inf"), 1.0)
    for temperature in TEMPERATURES:
        probs = _probabilities(model, vectors[validation], val_texts, temperature)
        loss = -float(np.mean(np.log(probs[np.arange(len(truth)), truth] + 1e-9)))
        best = min(best, (loss, temperature))
    temperature = best[1]
    probs = _probabilities(model, vectors[validation], val_texts, temperature)
    in_column = model.classes.index(Category.IN_SCOPE)
    p_in = probs[:, in_column]
    is_in = truth == in_column
    verdicts = [rules(examples[i].text) if rules else None for i in validation]
    fixed = np.array([np.nan if v is None else float(v) for v in verdicts])
    for row, index in enumerate(validation):  # the guard also judges a tacked-on request
        tail = add_on_request(normalize(examples[index].text).text)
        if np.isnan(fixed[row]) and tail and _refuses(model, embedder, tail):
            fixed[row] = 0.0
    bar = _choose_bar(p_in, is_in, fixed)
    allowed = _allowed(p_in, fixed, bar)
    report = Validation(
        train=len(train),
        validation=len(validation),
        groups_validation=len({examples[i].group_key for i in validation}),
        temperature=temperature,
        allow_threshold=round(bar, 4),
        in_scope_allowed=round(float(np.mean(allowed[is_in])) if is_in.any() else 0.0, 4),
        unsafe_allowed=round(float(np.mean(allowed[~is_in])) if (~is_in).any() else 0.0, 4),
        accuracy=round(float(np.mean(probs.argmax(axis=1) == truth)), 4),
    )
    model.temperature = temperature
    model.allow_threshold = bar
    return model, report


def load_or_train_model(
    cache_dir: Path,
    examples: Sequence[Example],
    embedder: Embedder,
    embedder_id: str,
    rules: RuleVerdict | None = None,
    rules_digest: str = "",
) -> tuple[GuardClassifier, bool]:
    """(model, trained_now): the cached boundary model for these examples (and these rules,
    which decide part of the validation split the bar is chosen on), or a new one; the
    validation figures are written next to it as JSON."""
    reports: list[Validation] = []

    def train(chosen: Sequence[Example], embed: Embedder) -> GuardClassifier:
        model, report = train_boundary_model(chosen, embed, rules)
        reports.append(report)
        return model

    model, trained = load_or_train(
        cache_dir, examples, embedder, embedder_id, prefix="model",
        version=f"{MODEL_VERSION}+lexical:{LEXICAL_WEIGHT}/{LEXICAL_FULL_AT}+rules:{rules_digest}",
        train=train,
    )
    if reports:
        for stale in cache_dir.glob("model-*.validation.json"):
            stale.unlink(missing_ok=True)
        path = next(cache_dir.glob("model-*.npz")).with_suffix(".validation.json")
        atomic.write_bytes(path, json.dumps(asdict(reports[0]), indent=2).encode("utf-8"))
    return model, trained


def validation_report(cache_dir: Path) -> dict[str, object] | None:
    """The validation figures of the cached model, if any."""
    for path in cache_dir.glob("model-*.validation.json"):
        try:
            data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
            return data
        except (OSError, ValueError):
            return None
    return None
