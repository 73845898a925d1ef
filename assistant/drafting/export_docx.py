"""DOCX export with python-docx: letterhead in the page header, compact one-page styling."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from assistant.drafting import catalog
from assistant.drafting.blocks import Block, Budget, bounded, parse, plain_text, runs
from assistant.drafting.options import Draft

BUDGET = Budget(chars=20_000)

_GREY = RGBColor(0x55, 0x55, 0x55)


def _add_runs(paragraph: Paragraph, text: str, size: float | None = None) -> None:
    for run in runs(text):
        r = paragraph.add_run(run.text)
        r.bold = run.bold or None
        r.italic = run.italic or None
        if size:
            r.font.size = Pt(size)


def _compact(paragraph: Paragraph, after: float = 4) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)


def _block(doc: object, block: Block, size: float) -> None:
    add_paragraph = doc.add_paragraph  # type: ignore[attr-defined]
    if block.kind == "heading":
        para = add_paragraph()
        run = para.add_run(plain_text(block.lines[0]))
        run.bold = True
        run.font.size = Pt(size + (5 if block.level == 1 else 2))
        _compact(para, 3)
        para.paragraph_format.space_before = Pt(6 if block.level > 1 else 0)
    elif block.kind == "paragraph":
        para = add_paragraph()
        for n, line in enumerate(block.lines):
            if n:
                para.add_run().add_break()
            _add_runs(para, line, size)
        _compact(para)
    elif block.kind == "bullets":
        for item in block.lines:
            para = add_paragraph(style="List Bullet")
            _add_runs(para, item, size)
            _compact(para, 1)
    elif block.kind == "table" and block.rows:
        width = max(len(r) for r in block.rows)
        table = doc.add_table(rows=0, cols=width)  # type: ignore[attr-defined]
        table.style = "Table Grid"
        for n, row in enumerate(block.rows):
            cells = table.add_row().cells
            for cell, text in zip(cells, row + [""] * (width - len(row)), strict=True):
                para = cell.paragraphs[0]
                _add_runs(para, text, size - 1)
                _compact(para, 0)
                if n == 0:
                    for r in para.runs:
                        r.bold = True
        _compact(add_paragraph(), 2)


def _property(text: str, limit: int = 255) -> str:
    """Word's core properties hold at most 255 characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_docx(draft: Draft, base_size: float = 10) -> bytes:
    """The draft as a Word document."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)  # US Letter
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.6), Cm(1.5)
    section.header_distance = Cm(0.8)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(base_size)

    header = section.header
    for n, line in enumerate(draft.letterhead):
        para = header.paragraphs[0] if n == 0 else header.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_runs(para, line, base_size + 3 if n == 0 else base_size - 1)
        for r in para.runs:
            if n:
                r.font.color.rgb = _GREY
        _compact(para, 0)

    doc.core_properties.title = _property(draft.title)
    for block in bounded(parse(draft.body), BUDGET, catalog.messages()["export"]["truncated"]):
        _block(doc, block, base_size)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
