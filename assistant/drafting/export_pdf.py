"""PDF export with fpdf2 (core Helvetica, text sanitized to Latin-1); one page when required."""

from __future__ import annotations

from fpdf import FPDF
from fpdf.fonts import FontFace

from assistant.drafting.blocks import Block, parse, plain_text, runs
from assistant.drafting.options import Draft

_LATIN1 = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "−": "-",
        "‑": "-",
        "≥": ">=",
        "≤": "<=",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "•": "-",
        "→": "->",
        "\u00a0": " ",
    }
)
_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)


def latin1(text: str) -> str:
    """Text the core fonts can draw: common typography mapped, anything else '?'."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class _Page(FPDF):
    def __init__(self, letterhead: list[str], size: float) -> None:
        super().__init__(format="Letter", unit="mm")
        self.letterhead = letterhead
        self.size = size
        self.set_margins(18, 14, 18)
        self.set_auto_page_break(True, margin=14)

    def header(self) -> None:
        for n, line in enumerate(self.letterhead):
            size = self.size + 3 if n == 0 else self.size - 1
            self.set_font("Helvetica", "B" if n == 0 else "", size)
            self.set_text_color(0 if n == 0 else 85)
            self.cell(
                0,
                (self.size + 3 if n == 0 else self.size) * 0.45,
                latin1(plain_text(line)),
                align="C",
                new_x="LMARGIN",
                new_y="NEXT",
            )
        self.set_text_color(0)
        y = self.get_y() + 1.5
        self.line(self.l_margin, y, self.w - self.r_margin, y)
        self.set_y(y + 3)


def _write_runs(pdf: _Page, text: str, size: float, height: float) -> None:
    for run in runs(text):
        style = ("B" if run.bold else "") + ("I" if run.italic else "")
        pdf.set_font("Helvetica", style, size)
        pdf.write(height, latin1(run.text))


def _block(pdf: _Page, block: Block, size: float) -> None:
    line_h = size * 0.46
    if block.kind == "heading":
        grow = 4 if block.level == 1 else 1.5
        pdf.ln(1.2 if block.level > 1 else 0)
        pdf.set_font("Helvetica", "B", size + grow)
        pdf.multi_cell(
            0,
            (size + grow) * 0.5,
            latin1(plain_text(block.lines[0])),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(0.8)
    elif block.kind == "paragraph":
        for line in block.lines:
            _write_runs(pdf, line, size, line_h)
            pdf.ln(line_h)
        pdf.ln(line_h * 0.5)
    elif block.kind == "bullets":
        indent = 4.0
        for item in block.lines:
            pdf.set_font("Helvetica", "", size)
            pdf.cell(indent, line_h, "-")
            left = pdf.l_margin
            pdf.set_left_margin(left + indent)
            _write_runs(pdf, item, size, line_h)
            pdf.set_left_margin(left)
            pdf.ln(line_h)
        pdf.ln(line_h * 0.4)
    elif block.kind == "table" and block.rows:
        width = max(len(r) for r in block.rows)
        pdf.set_font("Helvetica", "", size - 1)
        with pdf.table(
            col_widths=_widths(block.rows, width),
            line_height=(size - 1) * 0.45,
            padding=0.8,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 235, 235)),
            markdown=True,
            text_align="LEFT",
        ) as table:
            for row in block.rows:
                cells = table.row()
                for text in row + [""] * (width - len(row)):
                    cells.cell(_cell_markup(text))
        pdf.ln(line_h * 0.6)


def _widths(rows: list[list[str]], width: int) -> tuple[float, ...]:
    """Column widths in proportion to their longest text, within bounds."""
    longest = [0] * width
    word = [0] * width  # a column is never narrower than its longest word (no split words)
    for row in rows:
        for n, text in enumerate(row):
            plain = plain_text(text)
            longest[n] = max(longest[n], len(plain))
            word[n] = max([word[n], *(len(w) + 5 for w in plain.split())])
    return tuple(float(min(max(n, 11, w), 45)) for n, w in zip(longest, word, strict=True))


def _cell_markup(text: str) -> str:
    """Cell text in fpdf2's markdown: **bold** kept, other markers dropped."""
    parts = []
    for run in runs(latin1(text).replace("--", "-").replace("__", "_")):
        parts.append(f"**{run.text}**" if run.bold else run.text)
    return "".join(parts)


def _render(draft: Draft, size: float) -> FPDF:
    pdf = _Page(draft.letterhead, size)
    pdf.set_title(latin1(draft.title))
    pdf.set_creator("MES AI")
    pdf.add_page()
    for block in parse(draft.body):
        _block(pdf, block, size)
    return pdf


def to_pdf(draft: Draft) -> bytes:
    """The draft as PDF; one-page documents shrink the type until they fit."""
    sizes = _SIZES if draft.one_page else _SIZES[:1]
    pdf = _render(draft, sizes[0])
    for size in sizes[1:]:
        if pdf.pages_count <= 1:
            break
        pdf = _render(draft, size)
    return bytes(pdf.output())
