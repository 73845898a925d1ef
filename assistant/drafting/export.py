"""export(draft, fmt) -> bytes for md, docx and pdf."""

from __future__ import annotations

from assistant.drafting import catalog
from assistant.drafting.options import FORMATS, Draft, DraftError


def export(draft: Draft, fmt: str) -> bytes:
    """The draft as a file: Markdown (UTF-8), DOCX or PDF."""
    if fmt == "md":
        return draft.markdown.encode("utf-8")
    if fmt == "docx":
        from assistant.drafting.export_docx import to_docx

        return to_docx(draft)
    if fmt == "pdf":
        from assistant.drafting.export_pdf import to_pdf

        return to_pdf(draft)
    message = catalog.messages()["errors"]["unknown_format"]
    raise DraftError([message.format(value=fmt, choices=", ".join(FORMATS))])
