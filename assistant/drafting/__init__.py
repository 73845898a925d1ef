"""Document drafting: session logs, referral letters, progress and discharge summaries.

`draft(kind, case, options) -> Draft` renders a Jinja2 template from prompts/documents/ with facts
computed from the case, checks safety and number faithfulness, and `export(draft, fmt)` turns
the result into Markdown, DOCX or PDF bytes.
"""

from __future__ import annotations

from assistant.drafting.export import export
from assistant.drafting.facts import field_label
from assistant.drafting.faithfulness import unsupported
from assistant.drafting.options import (
    FORMATS,
    KINDS,
    LETTER_TYPES,
    Draft,
    DraftError,
    DraftOptions,
)
from assistant.drafting.service import draft, parse_options

__all__ = [
    "FORMATS",
    "KINDS",
    "LETTER_TYPES",
    "Draft",
    "DraftError",
    "DraftOptions",
    "draft",
    "export",
    "field_label",
    "parse_options",
    "unsupported",
]
