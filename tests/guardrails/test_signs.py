"""Emergencies as signs: vitals against the knowledge folder's thresholds, symptom clusters, and
crisis statements answered with crisis-line wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.paths import KNOWLEDGE_DIR
from assistant.settings import Settings
from guardrails import Category, ScopeGuard
from guardrails.normalize import normalize
from guardrails.rules import Rails
from guardrails.signs import vital_limits


@pytest.mark.parametrize(
    "text",
    [
        "quick q - spin class, her pulse hit 196 and it feels irregular even though rpe is 3",
        "fingerstick says 52 and he's trembling at the cable machine",
        "o2 sat dropped to 85% on the treadmill",
        "racing, skipping heartbeat and he's woozy, nobody else is in the gym",
        "jaw aching and her right arm hurts too, started on the rower",
        "suddenly his left leg feels heavy and he can't get his words out",
        "9 days s/p hip replacement, felt a clunk turning, leg looks shorter and rotated out",
        "my T2 client seems confused and keeps repeating himself after the circuit",
    ],
)
def test_signs_without_keywords_are_escalated(guard: ScopeGuard, text: str) -> None:
    decision = guard.check_input(text)
    assert decision.category is Category.EMERGENCY, decision.reason
    assert "emergency services" in decision.message


@pytest.mark.parametrize(
    "text",
    [
        "my client said today that he doesn't see much point in living since his wife died",
        "she keeps telling me the kids would be better off without her",
        "he was joking around but said he's been thinking about ending things",
    ],
)
def test_crisis_statements_get_emergency_steps_and_the_crisis_line(
    guard: ScopeGuard, text: str
) -> None:
    decision = guard.check_input(text)
    assert decision.category is Category.EMERGENCY, decision.reason
    assert "988" in decision.message
    assert "do not leave them alone" in decision.message
    assert "Stop the exercise" in decision.message


def test_limits_set_by_the_physician_are_not_readings(guard: ScopeGuard) -> None:
    text = "cardiologist set her HR ceiling at 125 and BP max 150/90, how do I plan intervals?"
    assert guard.check_input(text).category is not Category.EMERGENCY


def test_bp_limit_comes_from_the_configured_knowledge_folder(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shipped = (KNOWLEDGE_DIR / "thresholds.yaml").read_text(encoding="utf-8")
    lowered = shipped.replace("resistance_max: {systolic: 180, diastolic: 105}",
                              "resistance_max: {systolic: 150, diastolic: 95}")
    assert lowered != shipped
    (folder / "thresholds.yaml").write_text(lowered, encoding="utf-8")
    text = "bp 165/98 before we started and she has a headache"
    shipped_rails = Rails(settings=vital_limits(KNOWLEDGE_DIR))
    strict_rails = Rails(settings=vital_limits(Settings(knowledge_dir=folder).knowledge_dir))
    lowered_text = normalize(text).variants[0]
    assert shipped_rails.emergency(lowered_text) is None
    assert strict_rails.emergency(lowered_text) == "emergency.vitals"
