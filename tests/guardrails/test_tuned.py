"""The guard's model: the same states whether a text is read alone or in a batch, the frozen
view on the shipped embedding, saved and loaded exactly, cached by data, recipe, rules and base
weights, retrained when a file is broken, failing closed between its two views.

Every test uses the real packaged MiniLM; the small sets train in a second or two."""

from __future__ import annotations

import errno
import fcntl
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.embeddings import SentenceTransformerEmbedder, packaged_model_dir
from guardrails import ScopeGuard
from guardrails.dataset import Example
from guardrails.decision import Category
from guardrails.model import WAITING, _read, fail_closed, load_or_train_model, training_key
from guardrails.tuned import Encoder, TunedClassifier, fast_bf16, weights_digest

SMALL = [
    Example(text, label)
    for label, texts in {
        Category.IN_SCOPE: [
            "how do I write a session log", "progress report for the physician",
            "draft a thank-you letter to dr lee", "what does the essential tier require",
            "format this note as a soap log", "how many referral partners for intermediate",
        ],
        Category.CLINICAL_ADVICE: [
            "what dose of metformin", "how much insulin should she take",
            "is her knee torn", "can I clear him to run myself",
            "which statin is best for her", "read her mri for me",
        ],
        Category.OFF_TOPIC: [
            "recipe for lasagna", "best lasagna recipe", "who won the cup final",
            "write me a poem about autumn", "cheap flights to rome", "fix my python loop",
        ],
    }.items()
    for text in texts
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder(packaged_model_dir())


def test_a_text_has_the_same_states_alone_as_in_a_padded_batch(encoder: Encoder) -> None:
    texts = ["hi", "draft a progress note for dr okafor about her knee after twelve sessions"]
    batch, _ = encoder.states(texts)
    alone = [encoder.states([t])[0][0] for t in texts]
    for together, single in zip(batch, alone, strict=True):
        assert together.shape == single.shape
        assert np.allclose(together.astype(np.float32), single.astype(np.float32), atol=2e-2)


def test_frozen_view_reads_the_embedding_retrieval_uses(
    encoder: Encoder, embedder: SentenceTransformerEmbedder
) -> None:
    texts = ["log today's balance work", "what dose of metformin should she take?"]
    _, vectors = encoder.states(texts)
    assert np.allclose(vectors, embedder.embed(texts), atol=1e-4)


@pytest.mark.parametrize(
    ("cpuinfo", "fast"),
    [
        ("flags\t\t: fpu sse2 avx512f avx512_bf16 amx_tile\n", True),
        ("flags\t\t: fpu sse2 amx_bf16\n", True),
        ("flags\t\t: fpu sse2 avx2 avx512f\n", False),
        (None, False),
    ],
)
def test_bfloat16_is_used_only_where_the_cpu_computes_it(
    tmp_path: Path, cpuinfo: str | None, fast: bool
) -> None:
    path = tmp_path / "cpuinfo"
    if cpuinfo is not None:
        path.write_text(cpuinfo, encoding="utf-8")
    assert fast_bf16(path) is fast


def test_training_groups_may_be_read_in_bfloat16_but_validation_as_at_run_time(
    encoder: Encoder,
) -> None:
    texts = ["log today's balance work", "what dose of metformin should she take?",
             "draft a progress note for dr okafor", "is her knee torn"]
    _, exact_vectors = encoder.states(texts)
    states, vectors = _read(encoder, texts, [0, 2], [1, 3], lambda *_: None, bf16=True)
    for index in (1, 3):  # validation: float32, as the guard reads a message when it runs
        alone, alone_vector = encoder.states([texts[index]])
        assert np.allclose(states[index].astype(np.float32), alone[0].astype(np.float32),
                           atol=2e-3)
        assert np.allclose(vectors[index], alone_vector[0], atol=1e-5)
    for index in (0, 2):  # training: bfloat16, close but further off than float32 noise
        assert not np.allclose(vectors[index], exact_vectors[index], atol=1e-5)
        assert float(vectors[index] @ exact_vectors[index]) > 0.99


def test_saved_model_loads_with_the_same_answers(encoder: Encoder, tmp_path: Path) -> None:
    states, _ = encoder.states([e.text for e in SMALL])
    model = TunedClassifier.fit(encoder, states, [e.label for e in SMALL])
    model.temperature, model.allow_threshold = 1.5, 0.62
    model.save(tmp_path / "m.safetensors")
    loaded = TunedClassifier.load(tmp_path / "m.safetensors", encoder)
    assert (loaded.temperature, loaded.allow_threshold) == (1.5, 0.62)
    hidden, mask = encoder.lower(["what dose of insulin", "log today's session", "pasta?"])
    assert np.allclose(loaded.probabilities(hidden, mask), model.probabilities(hidden, mask))
    assert np.allclose(model.probabilities(hidden, mask).sum(axis=1), 1.0)


def test_broken_files_are_reported_as_unreadable(encoder: Encoder, tmp_path: Path) -> None:
    (tmp_path / "m.safetensors").write_bytes(b"not a model")
    (tmp_path / "m.json").write_text('{"classes": ["in_scope"], "tuned_from": 3}')
    with pytest.raises(ValueError, match="unreadable"):
        TunedClassifier.load(tmp_path / "m.safetensors", encoder)


def test_cache_key_follows_data_recipe_rules_and_weights() -> None:
    changed = [*SMALL[:-1], Example("fix my python loops", Category.OFF_TOPIC)]
    key = training_key(SMALL, "w", "r")
    assert key == training_key(list(SMALL), "w", "r")
    assert key != training_key(changed, "w", "r")
    assert key != training_key(SMALL, "other weights", "r")
    assert key != training_key(SMALL, "w", "other rules")


def test_weights_digest_changes_with_the_base_model(tmp_path: Path) -> None:
    source = packaged_model_dir()
    copy = tmp_path / "model"
    copy.mkdir()
    shutil.copy2(source / "config.json", copy / "config.json")
    (copy / "model.safetensors").write_bytes(b"other weights")
    assert weights_digest(copy) != weights_digest(source)
    assert weights_digest(source) == weights_digest(source)


@pytest.mark.parametrize(
    ("broken", "content"),
    [
        ("model-*.safetensors", b"not a model"),
        ("model-*.frozen.npz", b"PK\x03\x04 cut short"),
        ("model-*.json", b'{"classes": ["in_scope"], "tuned_from": 3}'),
    ],
)
def test_a_corrupt_cache_is_retrained_and_then_reused(
    tmp_path: Path, broken: str, content: bytes
) -> None:
    model, trained = load_or_train_model(tmp_path, SMALL, packaged_model_dir())
    assert trained and set(model.classes) == {e.label for e in SMALL}
    assert [p.name for p in tmp_path.glob("model-*.validation.json")]
    [path] = [p for p in tmp_path.glob(broken) if not p.name.endswith(".validation.json")]
    path.write_bytes(content)
    _, trained = load_or_train_model(tmp_path, SMALL, packaged_model_dir())
    assert trained
    _, trained = load_or_train_model(tmp_path, SMALL, packaged_model_dir())
    assert not trained
    assert not list(tmp_path.glob(".*"))  # no temp files left


_HOLD_LOCK = """
import fcntl, sys
with open(sys.argv[1], "a+") as handle:
    fcntl.flock(handle, fcntl.LOCK_EX)
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_a_second_process_waits_for_the_first_training_and_loads_its_model(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    load_or_train_model(elsewhere, SMALL, packaged_model_dir())
    cache = tmp_path / "cache"
    cache.mkdir()
    trainer = subprocess.Popen(  # another process, training into the same folder
        [sys.executable, "-c", _HOLD_LOCK, str(cache / "training.lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert trainer.stdout is not None and trainer.stdout.readline().strip() == "locked"
    stages: list[str] = []
    result: list[bool] = []
    waiting = threading.Thread(
        target=lambda: result.append(
            load_or_train_model(
                cache, SMALL, packaged_model_dir(), progress=lambda s, *_: stages.append(s)
            )[1]
        ),
        daemon=True,
    )
    try:
        waiting.start()
        deadline = time.monotonic() + 60
        while not stages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stages == [WAITING]
        for name in sorted(p.name for p in elsewhere.glob("model-*")):  # weights last
            if not name.endswith(".safetensors"):
                shutil.copy2(elsewhere / name, cache / name)
        for path in elsewhere.glob("model-*.safetensors"):
            shutil.copy2(path, cache / path.name)
        trainer.communicate("", timeout=30)  # the other process ends and lets go of the lock
    finally:
        trainer.kill()
    waiting.join(timeout=120)
    assert result == [False]  # loaded what the other process wrote: no second training
    assert "training" not in stages


def test_a_file_system_without_locks_still_trains_and_records_the_precision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_locks(handle: object, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    _, trained = load_or_train_model(tmp_path, SMALL, packaged_model_dir())
    assert trained
    [report] = tmp_path.glob("model-*.validation.json")
    assert json.loads(report.read_text(encoding="utf-8"))["bf16"] is fast_bf16()


def test_the_two_views_combine_failing_closed() -> None:
    confident = {Category.IN_SCOPE: 0.9, Category.EMERGENCY: 0.05, Category.OFF_TOPIC: 0.05}
    wary = {Category.IN_SCOPE: 0.4, Category.EMERGENCY: 0.35, Category.OFF_TOPIC: 0.25}
    combined = fail_closed(confident, wary)
    assert combined[Category.IN_SCOPE] == 0.4
    assert combined[Category.EMERGENCY] == 0.35
    assert fail_closed(wary, confident) == combined


def test_a_message_sent_again_gets_the_same_scores_from_memory(guard: ScopeGuard) -> None:
    model = guard.classifier
    model.forget()
    first = model.probabilities("how do I log a missed session for the physician?")
    again = model.probabilities("how do I log a missed session for the physician?")
    assert again is first
    model.forget()
    fresh = model.probabilities("how do I log a missed session for the physician?")
    assert fresh is not first and fresh == pytest.approx(first)


def test_text_utf8_cannot_carry_is_scored_not_raised(encoder: Encoder) -> None:
    hidden, mask = encoder.lower(["\udcff how do I restock the clinic", "\ud800"])
    assert hidden.shape[0] == 2 and int(mask[1].sum()) >= 2
