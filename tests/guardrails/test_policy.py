"""Policy wording comes from prompts/guard/ and names the physician when the text does."""

from __future__ import annotations

import pytest

from guardrails.decision import Category
from guardrails.policy import RESPONSES_FILE, Policy, physician_named


def test_wording_lives_in_prompts_guard() -> None:
    assert RESPONSES_FILE.parent.name == "guard"
    assert RESPONSES_FILE.parent.parent.name == "prompts"
    assert RESPONSES_FILE.exists()


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("draft a letter telling Dr. Lee to raise her metformin", "Dr. Lee"),
        ("Dr Alan Patel referred her", "Dr. Alan Patel"),
        ("her doctor said to ask", None),
        ("doctor Okafor wants weekly notes", "Dr. Okafor"),
        ("referred by Dr. Omar Said, cardiology", "Dr. Omar Said"),  # a surname, not a verb
        ("Dr. Patel said no running for now", "Dr. Patel"),
    ],
)
def test_physician_name_is_found(text: str, name: str | None) -> None:
    assert physician_named(text) == name


@pytest.mark.parametrize("category", [c for c in Category if c is not Category.IN_SCOPE])
def test_every_refusal_renders(category: Category) -> None:
    message = Policy().message(category, "a message naming Dr. Rivera")
    assert message and "{{" not in message and "  " not in message


@pytest.mark.parametrize(
    "topic",
    ["medication", "diagnosis", "labs", "acute_injury", "treatment", "nutrition",
     "manual_therapy", "mental_health", "general", None],
)
def test_clinical_refusal_says_why_who_and_what_instead(topic: str | None) -> None:
    message = Policy().message(Category.CLINICAL_ADVICE, "can she skip her pill?", topic)
    assert "scope" in message or "prescriber" in message or "licensed" in message
    assert "the client's physician or the referring provider" in message
    assert "draft a note asking" in message


def test_in_scope_has_no_message() -> None:
    assert Policy().message(Category.IN_SCOPE, "how do I log a session?") == ""


def test_unreadable_wording_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "responses.yaml"
    broken.write_text("clinical_advice: [unclosed", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read guard responses"):
        Policy(broken)
