"""A logistic-regression classifier on the MiniLM sentence embeddings.

Trained from the shipped examples on first use and cached under `data_dir/guard/`, keyed by a
hash of the training data, so a warm start only loads a few arrays.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from assistant import atomic
from assistant.embeddings import Embedder
from guardrails.dataset import Example
from guardrails.decision import Category
from guardrails.normalize import normalize

MODEL_VERSION = "guard-logreg-v4"
EMBED_WINDOW = 400
"""Characters of a message the classifier embeds (the end of longer messages)."""
REGULARISATION_C = 8.0
LEXICAL_WEIGHT = 1.0
"""Default scale of the TF-IDF word and word-pair features next to the embedding (the
baseline's); the guard's model sets its own (`guardrails.model`)."""
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _evidence(known: int, full_at: float) -> float:
    """How much the word features count with `known` known words and word pairs: fully from
    `full_at` on (0: always), less below, so one topical word ("blue") in a fragment weighs
    less than in a sentence."""
    return 1.0 if full_at <= 0 else min(1.0, known / full_at)


_RUN = re.compile(r"([^\d])\1{3,}")
_REPEATED_PHRASE = re.compile(r"\b((?:\w+\W+){0,5}?\w+)(?:\W+\1\b){2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def without_repeats(text: str) -> str:
    """`text` with runs of one character (not a digit: "10000") cut to three, a phrase of up to
    six words said three or more times in a row said once, and a sentence repeated right after
    itself kept once."""
    text = _REPEATED_PHRASE.sub(r"\1", _RUN.sub(r"\1\1\1", text))
    kept: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if sentence and (not kept or sentence.strip() != kept[-1].strip()):
            kept.append(sentence)
    return " ".join(part.strip() for part in kept if part.strip())


def classifier_text(text: str) -> str:
    """The part of a normalised message the classifier looks at: the last EMBED_WINDOW chars,
    once repeats are taken out."""
    return last_part(text, EMBED_WINDOW)


def last_part(text: str, limit: int) -> str:
    """`text` said once (repeats out) and, when longer than `limit`, its last `limit`
    characters from a word's start (the question is usually last)."""
    text = without_repeats(text)
    if len(text) <= limit:
        return text
    tail = text[-limit:]
    space = tail.find(" ")
    return tail[space + 1 :] if 0 <= space < 40 else tail


def _grams(text: str) -> list[str]:
    """Words and word pairs, as scikit-learn's TfidfVectorizer(ngram_range=(1, 2)) makes them."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


class GuardClassifier:
    """Softmax over the five categories from one embedding plus TF-IDF word features."""

    def __init__(
        self,
        classes: Sequence[str],
        coef: NDArray[np.floating],
        intercept: NDArray[np.floating],
        terms: Sequence[str] = (),
        idf: NDArray[np.floating] | None = None,
        lexical_coef: NDArray[np.floating] | None = None,
        allow_threshold: float = 0.5,
        temperature: float = 1.0,
        lexical_weight: float = LEXICAL_WEIGHT,
        lexical_full_at: float = 0.0,
    ) -> None:
        self.allow_threshold = allow_threshold
        """Calibrated p(in_scope) a message needs to be answered."""
        self.temperature = temperature
        """Logits are divided by this (fitted on the validation split) before the softmax."""
        self.lexical_weight = lexical_weight
        self.lexical_full_at = lexical_full_at
        self.classes = tuple(Category(c) for c in classes)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.terms = tuple(terms)
        self.vocabulary = {term: i for i, term in enumerate(self.terms)}
        self.idf = np.asarray(idf if idf is not None else np.zeros(0), dtype=np.float32)
        self.lexical_coef = np.asarray(
            lexical_coef if lexical_coef is not None else np.zeros((len(self.classes), 0)),
            dtype=np.float32,
        )

    def _lexical_logits(self, text: str) -> NDArray[np.float32]:
        counts: dict[int, int] = {}
        for gram in _grams(text):
            index = self.vocabulary.get(gram)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.zeros(len(self.classes), dtype=np.float32)
        indices = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        weights = (1.0 + np.log(tf)) * self.idf[indices]
        weights /= float(np.linalg.norm(weights)) or 1.0
        logits = self.lexical_coef[:, indices] @ weights
        scale = self.lexical_weight * _evidence(len(counts), self.lexical_full_at)
        return np.asarray(logits, dtype=np.float32) * scale

    def probabilities(self, vector: NDArray[np.float32], text: str = "") -> dict[Category, float]:
        """Category probabilities from the text's embedding `vector` (and the text itself)."""
        logits = self.coef @ np.asarray(vector, dtype=np.float32) + self.intercept
        if text and self.terms:
            logits = logits + self._lexical_logits(text)
        logits = logits / self.temperature
        logits = logits - logits.max()
        exp = np.exp(logits)
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}

    @classmethod
    def fit(cls, examples: Sequence[Example], embedder: Embedder) -> GuardClassifier:
        """Train on `examples` (texts are normalised the same way as at prediction time)."""
        if len({e.label for e in examples}) < 2:
            raise ValueError("the guard classifier needs examples of at least two categories")
        texts = [classifier_text(normalize(e.text).text) for e in examples]
        return cls.fit_vectors(texts, embedder.embed(texts), [e.label for e in examples])

    @classmethod
    def fit_vectors(
        cls,
        texts: Sequence[str],
        vectors: NDArray[np.floating],
        labels: Sequence[Category],
        c: float = REGULARISATION_C,
        lexical_weight: float = LEXICAL_WEIGHT,
        lexical_full_at: float = 0.0,
    ) -> GuardClassifier:
        """Train on already normalised `texts` and their embeddings."""
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        if len(set(labels)) < 2:
            raise ValueError("the guard classifier needs examples of at least two categories")
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
        lexical = vectorizer.fit_transform(texts) * lexical_weight
        scale = [_evidence(int(n), lexical_full_at) for n in np.diff(lexical.indptr)]
        lexical = csr_matrix(lexical.multiply(np.asarray(scale, dtype=np.float64)[:, None]))
        features = hstack([csr_matrix(vectors), lexical]).tocsr()
        model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced")
        model.fit(features, [label.value for label in labels])
        dim = vectors.shape[1]
        terms = [""] * len(vectorizer.vocabulary_)
        for term, index in vectorizer.vocabulary_.items():
            terms[index] = term
        return cls(
            [str(c) for c in model.classes_],
            model.coef_[:, :dim],
            model.intercept_,
            terms,
            vectorizer.idf_,
            model.coef_[:, dim:],
            lexical_weight=lexical_weight,
            lexical_full_at=lexical_full_at,
        )

    def save(self, path: Path) -> None:
        """Atomic write (temp file, then os.replace) of the fitted arrays."""
        buffer = io.BytesIO()
        np.savez(
            buffer,
            classes=np.array([c.value for c in self.classes]),
            coef=self.coef,
            intercept=self.intercept,
            terms=np.array(self.terms, dtype=str),
            idf=self.idf,
            lexical_coef=self.lexical_coef,
            calibration=np.array(
                [self.allow_threshold, self.temperature, self.lexical_weight,
                 self.lexical_full_at],
                dtype=np.float64,
            ),
        )
        atomic.write_bytes(path, buffer.getvalue())

    @classmethod
    def load(cls, path: Path) -> GuardClassifier:
        with np.load(path, allow_pickle=False) as data:
            calibration = data["calibration"] if "calibration" in data else np.array([0.5, 1.0])
            return cls(
                [str(c) for c in data["classes"]],
                data["coef"],
                data["intercept"],
                [str(t) for t in data["terms"]],
                data["idf"],
                data["lexical_coef"],
                float(calibration[0]),
                float(calibration[1]),
                float(calibration[2]) if len(calibration) > 2 else LEXICAL_WEIGHT,
                float(calibration[3]) if len(calibration) > 3 else 0.0,
            )


def training_key(
    examples: Sequence[Example], embedder_id: str, version: str = MODEL_VERSION
) -> str:
    """Hash of the training data, the model version and the embedder."""
    digest = hashlib.sha256(
        f"{version}\n{embedder_id}\n{REGULARISATION_C}\n{LEXICAL_WEIGHT}\n".encode()
    )
    for example in examples:
        digest.update(f"{example.label.value}\t{example.group}\t{example.text}\n".encode())
    return digest.hexdigest()[:20]


def load_or_train(
    cache_dir: Path,
    examples: Sequence[Example],
    embedder: Embedder,
    embedder_id: str,
    *,
    prefix: str = "classifier",
    version: str = MODEL_VERSION,
    train: Callable[[Sequence[Example], Embedder], GuardClassifier] | None = None,
) -> tuple[GuardClassifier, bool]:
    """(classifier, trained_now): the cached model for these examples, or a freshly trained one
    (`train`, by default `GuardClassifier.fit`), cached as `<prefix>-<hash>.npz`."""
    path = cache_dir / f"{prefix}-{training_key(examples, embedder_id, version)}.npz"
    if path.exists():
        try:
            return GuardClassifier.load(path), False
        except (OSError, ValueError, KeyError):
            path.unlink(missing_ok=True)
    classifier = (train or GuardClassifier.fit)(examples, embedder)
    classifier.save(path)
    for stale in cache_dir.glob(f"{prefix}-*.npz"):  # models of older training data
        if stale != path:
            stale.unlink(missing_ok=True)
    return classifier, True
