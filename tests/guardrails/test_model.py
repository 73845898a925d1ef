"""The guard's model: validation split by pair group, the answer bar chosen on it, cached once."""

from __future__ import annotations

import numpy as np

from assistant.settings import Settings
from guardrails import ScopeGuard
from guardrails.dataset import Example, guard_training_examples
from guardrails.decision import Category
from guardrails.model import BAR_RANGE, _choose_bar, split_by_group, validation_report


def test_no_pair_group_is_on_both_sides_of_the_split() -> None:
    examples = guard_training_examples()
    train, validation = split_by_group(examples)
    groups_train = {examples[i].group_key for i in train}
    groups_validation = {examples[i].group_key for i in validation}
    assert not groups_train & groups_validation
    assert 0.1 < len(validation) / len(examples) < 0.3
    assert any(e.group for e in examples), "the minimal pairs carry their pair group"


def test_a_pair_stays_together_whatever_its_texts() -> None:
    pair = [
        Example("log it for the physician", Category.IN_SCOPE, group="knee/01"),
        Example("tell me what is wrong with her knee", Category.CLINICAL_ADVICE, group="knee/01"),
    ]
    train, validation = split_by_group(pair * 3)
    assert train == [] or validation == []


def test_bar_is_the_lowest_that_keeps_unsafe_messages_out() -> None:
    p_in = np.array([0.95, 0.9, 0.8, 0.6, 0.5, 0.2])
    is_in = np.array([True, True, True, False, False, False])
    undecided = np.full(len(p_in), np.nan)
    bar = _choose_bar(p_in, is_in, undecided)
    assert 0.6 < bar <= 0.8
    refused_by_rule = np.array([np.nan, np.nan, np.nan, 0.0, np.nan, np.nan])
    assert _choose_bar(p_in, is_in, refused_by_rule) < bar


def test_trained_model_records_its_validation(guard: ScopeGuard, guard_settings: Settings) -> None:
    report = validation_report(guard_settings.data_dir / "guard")
    assert report is not None
    assert report["allow_threshold"] == round(guard.allow_bar(), 4)
    assert BAR_RANGE[0] <= guard.allow_bar() <= BAR_RANGE[1]
    assert isinstance(report["validation"], int) and report["validation"] > 100
