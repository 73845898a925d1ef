"""Policy: what to say when a message is not allowed (wording lives in prompts/guard/)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, StrictUndefined, Template

from assistant.paths import PROMPTS_DIR
from guardrails.decision import Category

RESPONSES_FILE = PROMPTS_DIR / "guard" / "responses.yaml"

_PHYSICIAN = re.compile(
    r"\b(?:Dr|DR|dr|Doctor|doctor)\.?\s+((?:[A-Z][A-Za-z'’\-]+)(?:\s+[A-Z][A-Za-z'’\-]+)?)"
)
_NOT_NAMES = frozenset({"I", "The", "He", "She", "They", "We", "You", "My", "Her", "His"})
_DRAFTING = re.compile(
    r"\b(draft|write|letter|note|email|e-mail|fax|message|report|summary|document|notice)\b"
)
_SPACES = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"['’]s?$")


def physician_named(text: str, history: Sequence[str] = ()) -> str | None:
    """`Dr. Name` as written in the text, else in the most recent history message naming one."""
    for source in (text, *reversed(history)):
        for match in _PHYSICIAN.finditer(source):
            words = [_POSSESSIVE.sub("", w) for w in match.group(1).split() if w not in _NOT_NAMES]
            if words:
                return "Dr. " + " ".join(words)
    return None


class Policy:
    """Renders the refusal / redirect / emergency texts from prompts/guard/responses.yaml."""

    def __init__(self, path: Path = RESPONSES_FILE) -> None:
        try:
            data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise ValueError(f"cannot read guard responses from {path}: {exc}") from exc
        env = Environment(undefined=StrictUndefined, autoescape=False)
        self.default_physician: str = data["default_physician"]
        self.why: dict[str, str] = dict(data[Category.CLINICAL_ADVICE.value]["why"])
        self.templates: dict[Category, Template] = {
            category: env.from_string(data[category.value]["template"])
            for category in Category
            if category is not Category.IN_SCOPE
        }

    def message(
        self,
        category: Category,
        text: str,
        topic: str | None = None,
        history: Sequence[str] = (),
    ) -> str:
        """The reply to show for `category` ('' for in-scope messages)."""
        if category is Category.IN_SCOPE:
            return ""
        # An injection reply repeats nothing from the message (names in pasted text included).
        named = None if category is Category.PROMPT_INJECTION else physician_named(text, history)
        rendered = self.templates[category].render(
            physician=named or self.default_physician,
            physician_named=named is not None,
            drafting=bool(_DRAFTING.search(text.lower())),
            crisis=topic == "crisis",
            why=self.why.get(topic or "general", self.why["general"]),
        )
        return _SPACES.sub(" ", rendered).strip()
