"""Test sentences are kept out of training by hash; the hash file only grows."""

from __future__ import annotations

from pathlib import Path

from guardrails.dataset import excluded_hashes, normalised_key, sentence_hash
from guardrails.exclusions import add_exclusions, blind_sentences, rail_examples


def test_adding_merges_hashes_and_never_drops_one(tmp_path: Path) -> None:
    path = tmp_path / "excluded.sha256"
    assert add_exclusions(["An old test sentence here"], path) == 1
    assert add_exclusions(["A NEW test sentence, here!", "an old test sentence here"], path) == 1
    hashes = excluded_hashes(path)
    assert hashes == {sentence_hash("an old test sentence here"),
                      sentence_hash("a new test sentence here")}
    assert add_exclusions(["a new test sentence here"], path) == 0
    assert path.read_text(encoding="utf-8").splitlines() == sorted(hashes)


def test_every_blind_message_and_rail_example_is_excluded() -> None:
    excluded = excluded_hashes()
    texts = [t for t in [*blind_sentences(), *rail_examples()] if normalised_key(t)]  # no "🆘"
    missing = [t for t in texts if sentence_hash(t) not in excluded]
    assert len(blind_sentences()) >= 300
    assert missing == [], f"{len(missing)} test sentences not hashed: run make exclusions"
