"""Every number in a draft must come from the case, the templates, or a derived value."""

from __future__ import annotations

from assistant.drafting.options import Draft
from guardrails.numbers import Figure, unsupported_figures


def unsupported(draft: Draft) -> list[Figure]:
    """Figures in the draft's Markdown and title found in no source and not derived."""
    text = f"{draft.title}\n{draft.markdown}"
    return unsupported_figures(text, draft.sources, draft.derived)


def check_text(text: str, sources: list[str], derived: list[float | str]) -> list[Figure]:
    """The same check on any text (e.g. an LLM-improved rewording of a draft)."""
    return unsupported_figures(text, sources, derived)
