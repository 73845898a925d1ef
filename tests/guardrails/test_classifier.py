"""The classifier: cached by training-data hash, atomic writes, lexical features as sklearn.

Every test uses the real packaged MiniLM (the session `embedder` fixture)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.embeddings import SentenceTransformerEmbedder
from assistant.settings import Settings
from guardrails import ScopeGuard
from guardrails.classifier import (
    GuardClassifier,
    classifier_text,
    load_or_train,
    training_key,
    without_repeats,
)
from guardrails.dataset import Example, heldout_examples, training_examples
from guardrails.decision import LABELS, Category

SMALL = [
    Example("how do I write a session log", Category.IN_SCOPE),
    Example("progress report for the physician", Category.IN_SCOPE),
    Example("what dose of metformin", Category.CLINICAL_ADVICE),
    Example("how much insulin should she take", Category.CLINICAL_ADVICE),
    Example("recipe for lasagna", Category.OFF_TOPIC),
    Example("best lasagna recipe", Category.OFF_TOPIC),
]


def test_warm_start_loads_the_cached_model(guard: ScopeGuard, guard_settings: Settings) -> None:
    cached = list((guard_settings.data_dir / "guard").glob("model-*.safetensors"))
    assert len(cached) == 1
    again = ScopeGuard(guard_settings, guard.embedder)
    assert again.warm() is False
    assert not list((guard_settings.data_dir / "guard").glob(".*"))  # no temp files left


def test_cache_key_follows_the_training_data() -> None:
    changed = [*SMALL[:-1], Example("best lasagna recipe!", Category.OFF_TOPIC)]
    assert training_key(SMALL, "e") == training_key(list(SMALL), "e")
    assert training_key(SMALL, "e") != training_key(changed, "e")
    assert training_key(SMALL, "e") != training_key(SMALL, "other-embedder")


def test_corrupt_cache_is_retrained(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    _, trained = load_or_train(tmp_path, SMALL, embedder, "minilm")
    assert trained
    [path] = tmp_path.glob("classifier-*.npz")
    path.write_bytes(b"not a model")
    classifier, trained = load_or_train(tmp_path, SMALL, embedder, "minilm")
    assert trained
    assert set(classifier.classes) == {e.label for e in SMALL}


def test_lexical_features_match_scikit_learn(embedder: SentenceTransformerEmbedder) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    classifier = GuardClassifier.fit(SMALL, embedder)
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    vectorizer.fit([e.text for e in SMALL])
    text = "what dose of insulin should she take"
    expected = vectorizer.transform([text]).toarray()[0]
    order = [vectorizer.vocabulary_[t] for t in classifier.terms]
    want = classifier.lexical_coef @ expected[order]
    np.testing.assert_allclose(classifier._lexical_logits(text), want, rtol=1e-5, atol=1e-6)


def _assert_same_answers(
    loaded: GuardClassifier, original: GuardClassifier, embedder: SentenceTransformerEmbedder
) -> None:
    vector = embedder.embed_query("what dose")
    assert loaded.probabilities(vector, "what dose") == pytest.approx(
        original.probabilities(vector, "what dose")
    )


def test_saved_model_round_trips(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    classifier = GuardClassifier.fit(SMALL, embedder)
    path = tmp_path / "model.npz"
    classifier.save(path)
    loaded = GuardClassifier.load(path)
    _assert_same_answers(loaded, classifier, embedder)


def test_word_weighting_is_saved_with_the_model(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    texts = [e.text for e in SMALL]
    fitted = GuardClassifier.fit_vectors(
        texts, embedder.embed(texts), [e.label for e in SMALL], lexical_weight=3.0,
        lexical_full_at=10,
    )
    fitted.save(tmp_path / "model.npz")
    loaded = GuardClassifier.load(tmp_path / "model.npz")
    assert (loaded.lexical_weight, loaded.lexical_full_at) == (3.0, 10)
    _assert_same_answers(loaded, fitted, embedder)


def test_a_model_cached_before_the_weighting_was_stored_loads_with_the_old_weighting(
    tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    classifier = GuardClassifier.fit(SMALL, embedder)
    classifier.save(tmp_path / "new.npz")
    with np.load(tmp_path / "new.npz") as data:
        arrays = {k: data[k] for k in data.files}
    arrays["calibration"] = arrays["calibration"][:2]  # the format before this change
    np.savez(tmp_path / "old.npz", **arrays)
    old = GuardClassifier.load(tmp_path / "old.npz")
    assert (old.lexical_weight, old.lexical_full_at) == (1.0, 0.0)
    _assert_same_answers(old, classifier, embedder)


def test_one_known_word_in_a_fragment_counts_a_tenth_when_full_weight_needs_ten(
    embedder: SentenceTransformerEmbedder,
) -> None:
    model = GuardClassifier.fit(SMALL, embedder)
    full = model._lexical_logits("lasagna")  # the fragment's only known word
    assert np.abs(full).max() > 0
    model.lexical_full_at = 10
    np.testing.assert_allclose(model._lexical_logits("lasagna"), full / 10, rtol=1e-5)


def test_held_out_split_is_never_trained_on() -> None:
    held = {e.text.strip().lower() for e in heldout_examples()}
    train = {e.text.strip().lower() for e in training_examples()}
    assert held and train
    assert not held & train
    share = len(held) / (len(held) + len(train))
    assert 0.15 < share < 0.25
    assert {e.label for e in heldout_examples()} == set(LABELS)


def test_classifier_needs_two_categories(embedder: SentenceTransformerEmbedder) -> None:
    with pytest.raises(ValueError, match="two categories"):
        GuardClassifier.fit(SMALL[:2], embedder)


REPEATS = [
    ("zzzzzzzzzzzz", "zzz"),
    ("fine fine fine fine, next set", "fine, next set"),
    ("how do i log it? " + "answer fast. " * 12, "how do i log it? answer fast."),
    ("tier gap " * 9, "tier gap"),
    ("note one\nnote one\nnote two", "note one note two"),
    ("very very tired, 3x10 done!!", "very very tired, 3x10 done!!"),
    ("she walked 10000 steps", "she walked 10000 steps"),
]


@pytest.mark.parametrize(("text", "expected"), REPEATS)
def test_repeats_are_said_once_before_the_model_reads_a_message(text: str, expected: str) -> None:
    assert without_repeats(text) == expected


def test_padding_at_the_end_does_not_push_the_question_out_of_the_window() -> None:
    question = "which tier needs twelve supervised assessments?"
    assert classifier_text(question + " " + "keep it short. " * 200).startswith(question)
