"""Every rail rule's own examples: each `must_match` fires the rule, no `must_not_match` does.

Runs on the rules alone (no embedder): the rails are data in guardrails/rails/<rail>/rules.yaml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guardrails.normalize import normalize
from guardrails.rules import RAILS_DIR, Rail, Rails, Rule, default_rails, load_rail
from guardrails.signs import CHECKS

RAILS = default_rails()
CASES = [
    (rail, rule, text, expected)
    for rail in RAILS.rails.values()
    for rule in rail.rules
    for text, expected in [
        *((t, True) for t in rule.must_match),
        *((t, False) for t in rule.must_not_match),
    ]
]


@pytest.mark.parametrize(
    ("rail", "rule", "text", "expected"),
    CASES,
    ids=[f"{c[1].name}:{'match' if c[3] else 'no-match'}:{c[2][:40]}" for c in CASES],
)
def test_rule_matches_its_examples(rail: Rail, rule: Rule, text: str, expected: bool) -> None:
    assert rail.fires(rule, normalize(text).variants[0]) is expected


def test_every_rule_has_an_example_that_fires_it() -> None:
    for rail in RAILS.rails.values():
        for rule in rail.rules:
            assert rule.must_match, f"{rule.name} has no must_match example"


def test_each_rail_is_its_own_folder() -> None:
    folders = {p.parent.name for p in RAILS_DIR.glob("*/rules.yaml")}
    assert folders == {
        "crisis", "emergency", "injection", "clinical", "off_topic", "in_scope", "language"
    }


def test_unknown_pattern_name_fails_at_load_time(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "rules.yaml").write_text(
        "category: off_topic\npatterns: {a: '\\bx\\b'}\nrules:\n  - {name: r, when: b}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="unknown pattern 'b'"):
        load_rail(folder, CHECKS, {})


@pytest.mark.parametrize(
    "settings", ["{typo_patterns: [a, missing]}", "{defer_when_clinical: [in_scope.missing]}"]
)
def test_a_setting_naming_an_unknown_pattern_or_rule_fails_at_load_time(
    tmp_path: Path, settings: str
) -> None:
    folder = tmp_path / "misspelt"
    folder.mkdir()
    (folder / "rules.yaml").write_text(
        f"category: in_scope\nsettings: {settings}\npatterns: {{a: '\\bx\\b'}}\n"
        "rules:\n  - {name: r, when: a}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="names unknown"):
        load_rail(folder, CHECKS, {})


def test_no_rule_copies_one_data_sets_question_templates() -> None:
    """MedQuAD's question templates are not rules (they inflated the held-out figure)."""
    text = (RAILS_DIR / "clinical" / "rules.yaml").read_text(encoding="utf-8")
    for template in ("what is the outlook for", "what research \\(or clinical trials\\)",
                     "who should get", "what are the genetic changes related to"):
        assert template not in text


def test_editing_a_rail_changes_the_digest_the_model_cache_is_keyed_by(tmp_path: Path) -> None:
    copy = tmp_path / "rails"
    shutil.copytree(RAILS_DIR, copy)
    before = Rails(copy).digest
    assert Rails(copy).digest == before
    rules = copy / "in_scope" / "rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert Rails(copy).digest != before


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("am I allowed to put the tier badge on my website?", "in_scope.scope_question"),
        ("what should I say when she asks how much ibuprofen to take?", "in_scope.process"),
        ("since I'm past 200 sessions, am I allowed to change how much insulin she takes?", None),
        ("write a note to his GP asking whether the new beta blocker changes his HR limit",
         "in_scope.physician_note"),
        ("write a note to his GP asking him to agree that I'll halve the beta blocker", None),
    ],
)
def test_a_permission_question_naming_a_clinical_request_is_left_to_the_model(
    text: str, evidence: str | None
) -> None:
    assert RAILS.in_scope(normalize(text).variants[0]) == evidence
