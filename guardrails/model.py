"""The guard's model, trained once and cached: two views of a message from one pass through
MiniLM's lower layers, which must agree before it is answered.

- the tuned view: the top layers fine-tuned on the minimal pairs (`guardrails.tuned`);
- the frozen view: the shipped top layers' sentence embedding plus word features, under a
  softmax head (`guardrails.classifier`).

Training reads every text once, fits both on the training groups, then fits each one's
temperature and chooses the p(in_scope) bar on the validation groups (nothing is refitted, so
the bar holds for the model that is used). Cached under data_dir/guard/ by a hash of the data,
the rules, the recipe and the base model's weights.
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assistant import atomic
from assistant.embeddings import QueryMemo
from assistant.locks import exclusive
from guardrails import tuned
from guardrails.addon import add_on_request
from guardrails.classifier import (
    EMBED_WINDOW,
    REGULARISATION_C,
    GuardClassifier,
    classifier_text,
)
from guardrails.dataset import Example
from guardrails.decision import Category, Thresholds
from guardrails.normalize import normalize
from guardrails.tuned import Encoder, Progress, TunedClassifier, softmax

MODEL_VERSION = "guard-paired-v4"
VALIDATION_SHARE = 0.2
UNSAFE_ALLOWED_TARGET = 0.02
"""Largest share of validation messages not labelled in_scope that the guard (rules, then the
bar) may let through."""
BAR_RANGE = (0.3, 0.95)
TEMPERATURES = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
FROZEN_LEXICAL_WEIGHT = 3.0
FROZEN_LEXICAL_FULL_AT = 10
"""The frozen view's word features: their scale next to the embedding, and the number of known
words and word pairs from which they count fully (`guardrails.classifier`), chosen on the
validation split when the frozen view decided alone (bench/RESULTS.md, 2026-12-02)."""
WAITING = "waiting for another process that is training it"
"""The progress stage reported while another process holds the training lock."""
MEMO_SIZE = 512
"""Texts whose scores a loaded model remembers (a client may send one message again)."""
REFUSAL_BARS = Thresholds().refusal_bars()
"""The guard's default refusal bars: a message none of whose scores clears them may be answered."""
TAIL_BARS = {c: b for c, b in REFUSAL_BARS.items() if c is not Category.OFF_TOPIC}
"""The bars at which a tacked-on request is refused."""


@dataclass(frozen=True)
class Validation:
    """What the validation split said: the chosen temperature and bar, and the figures at it."""

    train: int
    validation: int
    groups_validation: int
    temperature: float
    """The tuned view's; `frozen_temperature` the frozen view's."""
    frozen_temperature: float
    allow_threshold: float
    in_scope_allowed: float
    unsafe_allowed: float
    accuracy: float
    """The tuned view's accuracy on its own (argmax over the five categories)."""
    seconds: float = 0.0
    bf16: bool = False
    """Whether the training groups were read and trained in bfloat16 (the model runs in float32
    either way, so it is not part of the cache key)."""


class GuardModel:
    """The two views together. Fails closed: its p(in_scope) is the lower of the two views',
    each refusal's the higher, so a message is answered only when both are confident and an
    emergency is escalated when either sees one (the scores need not sum to 1)."""

    def __init__(
        self, encoder: Encoder, tuned_view: TunedClassifier, frozen_view: GuardClassifier
    ) -> None:
        self.encoder = encoder
        self.tuned = tuned_view
        self.frozen = frozen_view
        self.classes = tuned_view.classes
        self._memo: QueryMemo[Scores] = QueryMemo(MEMO_SIZE)

    @property
    def allow_threshold(self) -> float:
        """The p(in_scope) a message needs to be answered (chosen on the validation split)."""
        return self.tuned.allow_threshold

    @allow_threshold.setter
    def allow_threshold(self, value: float) -> None:
        self.tuned.allow_threshold = value

    def probabilities(self, text: str) -> Scores:
        """Fail-closed category scores for one normalised text (its classifier window),
        remembered for the last MEMO_SIZE texts."""
        return self._memo.get(text, self._score)

    def forget(self) -> None:
        """Drop the remembered scores (a benchmark times the model, not the memo)."""
        self._memo.clear()

    def _score(self, text: str) -> Scores:
        import torch

        with torch.inference_mode():
            hidden, mask = self.encoder.lower([text])
            vector = self.encoder.frozen_embedding(hidden, mask)[0]
        row = self.tuned.probabilities(hidden, mask)[0]
        tuned = dict(zip(self.classes, (float(p) for p in row), strict=True))
        scores = fail_closed(tuned, self.frozen.probabilities(vector, text))
        scores.tuned_in_scope = tuned.get(Category.IN_SCOPE, 0.0)
        return scores

    def save(self, path: Path) -> None:
        """The frozen view first and the tuned weights at `path` last: once `path` exists,
        every file is complete (each write is atomic), so another process may load it."""
        self.frozen.save(path.with_suffix(".frozen.npz"))
        self.tuned.save(path)

    @classmethod
    def load(cls, path: Path, encoder: Encoder) -> GuardModel:
        """ValueError when a file is missing or unreadable."""
        tuned_view = TunedClassifier.load(path, encoder)
        try:
            frozen_view = GuardClassifier.load(path.with_suffix(".frozen.npz"))
        except (OSError, ValueError, KeyError, IndexError, zipfile.BadZipFile) as exc:
            raise ValueError(f"unreadable guard model {path.name}: {exc}") from exc
        return cls(encoder, tuned_view, frozen_view)


class Scores(dict[Category, float]):
    """Category scores that also keep the more confident view's p(in_scope), and the tuned
    view's own."""

    most_in_scope: float = 0.0
    tuned_in_scope: float = 0.0


def fail_closed(first: dict[Category, float], second: dict[Category, float]) -> Scores:
    """The lower p(in_scope) of two views and the higher score of every other category."""
    pick = {Category.IN_SCOPE: min}
    scores = Scores(
        {c: pick.get(c, max)(first.get(c, 0.0), second.get(c, 0.0)) for c in {*first, *second}}
    )
    scores.most_in_scope = max(
        first.get(Category.IN_SCOPE, 0.0), second.get(Category.IN_SCOPE, 0.0)
    )
    return scores


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


def _refuses(model: GuardModel, text: str) -> bool:
    probs = model.probabilities(classifier_text(text))
    return any(probs.get(c, 0.0) >= bar for c, bar in TAIL_BARS.items())


def _temperature(
    probabilities: Callable[[float], NDArray[np.float64]], truth: NDArray[np.int64]
) -> float:
    """The temperature with the lowest log loss on the validation split."""
    losses = []
    for temperature in TEMPERATURES:
        probs = probabilities(temperature)
        loss = -float(np.mean(np.log(probs[np.arange(len(truth)), truth] + 1e-9)))
        losses.append((loss, temperature))
    return min(losses)[1]


def _frozen_probabilities(
    view: GuardClassifier, vectors: NDArray[np.float32], texts: Sequence[str],
    classes: Sequence[Category], temperature: float,
) -> NDArray[np.float64]:
    previous, view.temperature = view.temperature, temperature
    try:
        rows = [view.probabilities(v, t) for v, t in zip(vectors, texts, strict=True)]
    finally:
        view.temperature = previous
    return np.array([[row.get(c, 0.0) for c in classes] for row in rows])


def _read(
    encoder: Encoder,
    texts: Sequence[str],
    train: Sequence[int],
    validation: Sequence[int],
    progress: Progress,
    bf16: bool,
) -> tuple[list[NDArray[np.float16]], NDArray[np.float32]]:
    """Every text's lower-layer states and frozen embedding: the training groups in bfloat16
    when `bf16`, the validation groups always in float32."""
    total = len(texts)
    states: list[NDArray[np.float16]] = [np.zeros((0, encoder.dimension), np.float16)] * total
    vectors = np.zeros((total, encoder.dimension), dtype=np.float32)
    for part, low, before in ((train, bf16, 0), (validation, False, len(train))):

        def step(stage: str, done: int, _of: int, before: int = before) -> None:
            progress(stage, before + done, total)

        found, embedded = encoder.states([texts[i] for i in part], step, bf16=low)
        for row, index in enumerate(part):
            states[index] = found[row]
        vectors[list(part)] = embedded
    return states, vectors


def train_boundary_model(
    examples: Sequence[Example],
    encoder: Encoder,
    rules: RuleVerdict | None = None,
    progress: Progress = tuned.no_progress,
    bf16: bool = False,
) -> tuple[GuardModel, Validation]:
    """Fit both views on the training groups; calibrate each and choose the bar on the
    validation groups. With `bf16`, the training groups are read and trained in bfloat16;
    the validation groups are read in float32, as at run time, so the bar holds."""
    started = time.perf_counter()
    texts = [classifier_text(normalize(e.text).text) for e in examples]
    labels = [e.label for e in examples]
    train, validation = split_by_group(examples)
    if not train or not validation:
        raise ValueError("the guard's model needs examples on both sides of its validation split")
    states, vectors = _read(encoder, texts, train, validation, progress, bf16)
    tuned_view = TunedClassifier.fit(
        encoder, [states[i] for i in train], [labels[i] for i in train], progress, bf16
    )
    progress("calibrating", 0, 1)
    frozen_view = GuardClassifier.fit_vectors(
        [texts[i] for i in train], vectors[train], [labels[i] for i in train],
        lexical_weight=FROZEN_LEXICAL_WEIGHT, lexical_full_at=FROZEN_LEXICAL_FULL_AT,
    )
    classes = tuned_view.classes
    truth = np.array([classes.index(labels[i]) for i in validation], dtype=np.int64)
    logits = tuned_view.logits_of_states([states[i] for i in validation])
    tuned_view.temperature = _temperature(lambda t: softmax(logits, t), truth)
    val_texts = [texts[i] for i in validation]
    frozen_view.temperature = _temperature(
        lambda t: _frozen_probabilities(frozen_view, vectors[validation], val_texts, classes, t),
        truth,
    )
    tuned_probs = softmax(logits, tuned_view.temperature)
    frozen_probs = _frozen_probabilities(
        frozen_view, vectors[validation], val_texts, classes, frozen_view.temperature
    )
    model = GuardModel(encoder, tuned_view, frozen_view)
    in_column = classes.index(Category.IN_SCOPE)
    p_in = np.minimum(tuned_probs[:, in_column], frozen_probs[:, in_column])
    is_in = truth == in_column
    verdicts = [rules(examples[i].text) if rules else None for i in validation]
    fixed = np.array([np.nan if v is None else float(v) for v in verdicts])
    for category, refusal_bar in REFUSAL_BARS.items():  # a score that refuses: never answered
        if category not in classes:
            continue
        column = classes.index(category)
        score = np.maximum(tuned_probs[:, column], frozen_probs[:, column])
        fixed[np.isnan(fixed) & (score >= refusal_bar)] = 0.0
    for row, index in enumerate(validation):  # the guard also judges a tacked-on request
        tail = add_on_request(normalize(examples[index].text).text)
        if np.isnan(fixed[row]) and tail and _refuses(model, tail):
            fixed[row] = 0.0
    bar = _choose_bar(p_in, is_in, fixed)
    allowed = _allowed(p_in, fixed, bar)
    model.allow_threshold = bar
    progress("calibrating", 1, 1)
    report = Validation(
        train=len(train),
        validation=len(validation),
        groups_validation=len({examples[i].group_key for i in validation}),
        temperature=tuned_view.temperature,
        frozen_temperature=frozen_view.temperature,
        allow_threshold=round(bar, 4),
        in_scope_allowed=round(float(np.mean(allowed[is_in])) if is_in.any() else 0.0, 4),
        unsafe_allowed=round(float(np.mean(allowed[~is_in])) if (~is_in).any() else 0.0, 4),
        accuracy=round(float(np.mean(tuned_probs.argmax(axis=1) == truth)), 4),
        seconds=round(time.perf_counter() - started, 1),
        bf16=bf16,
    )
    return model, report


def training_key(examples: Sequence[Example], weights: str, rules_digest: str) -> str:
    """Hash of the training data, the rules, the recipe and the base model's weights."""
    recipe = (
        MODEL_VERSION, VALIDATION_SHARE, UNSAFE_ALLOWED_TARGET, BAR_RANGE, TEMPERATURES,
        sorted(REFUSAL_BARS.items()), FROZEN_LEXICAL_WEIGHT, FROZEN_LEXICAL_FULL_AT,
        REGULARISATION_C, EMBED_WINDOW, tuned.TUNED_FROM, tuned.EPOCHS, tuned.LEARNING_RATE,
        tuned.HEAD_LEARNING_RATE, tuned.WARMUP_STEPS, tuned.WEIGHT_DECAY, tuned.BATCH,
        tuned.SEED, tuned.MAX_TOKENS, tuned.POOL_SCALE,
    )
    digest = hashlib.sha256(f"{recipe}\n{weights}\n{rules_digest}\n".encode())
    for example in examples:
        digest.update(f"{example.label.value}\t{example.group}\t{example.text}\n".encode())
    return digest.hexdigest()[:20]


def load_or_train_model(
    cache_dir: Path,
    examples: Sequence[Example],
    model_dir: Path,
    rules: RuleVerdict | None = None,
    rules_digest: str = "",
    progress: Progress = tuned.no_progress,
) -> tuple[GuardModel, bool]:
    """(model, trained_now): the cached model for these examples (and these rules, which decide
    part of the validation split the bar is chosen on), or a new one, cached as
    `model-<hash>.safetensors` with its calibration and validation figures beside it."""
    encoder = Encoder(model_dir)
    key = training_key(examples, tuned.weights_digest(model_dir), rules_digest)
    path = cache_dir / f"model-{key}.safetensors"
    cached = _load_cached(path, encoder)
    if cached is not None:
        return cached, False
    # one trainer per cache folder: a server and a CLI that start together train once, and
    # the later one loads what the first wrote (a file system without locks trains unlocked)
    with exclusive(
        cache_dir / "training.lock",
        on_wait=lambda: progress(WAITING, 0, 1),
        unlocked_if_unsupported=True,
    ):
        # another process may have trained it meanwhile; a broken cache is removed only here,
        # under the lock, so a good model another process just wrote is never deleted
        cached = _load_cached(path, encoder, remove_broken=True)
        if cached is not None:
            return cached, False
        return _train_and_save(path, examples, encoder, rules, progress), True


def _load_cached(path: Path, encoder: Encoder, remove_broken: bool = False) -> GuardModel | None:
    """The model cached at `path`, or None (to be trained)."""
    if not path.exists():
        return None
    try:
        return GuardModel.load(path, encoder)
    except ValueError:
        if remove_broken:
            path.unlink(missing_ok=True)
        return None


def _train_and_save(
    path: Path,
    examples: Sequence[Example],
    encoder: Encoder,
    rules: RuleVerdict | None,
    progress: Progress,
) -> GuardModel:
    """Train, write the validation figures and the model (weights last), drop older models."""
    cache_dir = path.parent
    model, report = train_boundary_model(examples, encoder, rules, progress, tuned.fast_bf16())
    validation = path.with_name(path.stem + ".validation.json")
    atomic.write_bytes(validation, json.dumps(asdict(report), indent=2).encode("utf-8"))
    model.save(path)
    for stale in cache_dir.glob("model-*"):  # models of older data, rules or recipes
        if not stale.name.startswith(path.stem + "."):
            stale.unlink(missing_ok=True)
    return model


def validation_report(cache_dir: Path) -> dict[str, object] | None:
    """The validation figures of the cached model, if any."""
    for path in cache_dir.glob("model-*.validation.json"):
        try:
            data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
            return data
        except (OSError, ValueError):
            return None
    return None
