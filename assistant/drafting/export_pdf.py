"""PDF export with fpdf2: embedded Unicode fonts (DejaVu Sans, Droid Sans Fallback for CJK),
shaped text (Arabic), one page when required."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.fonts import FontFace

from assistant.drafting.blocks import Block, parse, plain_text, runs
from assistant.drafting.options import Draft

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
_FACES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
_FALLBACK = ("DroidFallback", "DroidSansFallbackFull.ttf")  # CJK and other scripts
_SIZES = (10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)


@cache
def _covered() -> frozenset[int]:
    """Code points every DejaVu face draws (read once per process)."""
    sets = []
    for name in _FACES.values():
        font = TTFont(str(FONTS_DIR / name), lazy=True)
        sets.append(set(font.getBestCmap()))
        font.close()
    return frozenset(set.intersection(*sets))


def needs_fallback(text: str) -> bool:
    """True when some visible character is missing from DejaVu (CJK, for instance)."""
    covered = _covered()
    return any(ord(ch) not in covered for ch in set(text) if not ch.isspace())


def _install_fonts(pdf: FPDF, fallback: bool) -> None:
    """Embed the packaged Unicode fonts; Arabic and other complex scripts are shaped.

    The large CJK fallback font is loaded only for a draft that has characters DejaVu lacks.
    """
    for style, name in _FACES.items():
        pdf.add_font(FAMILY, style, str(FONTS_DIR / name))
    if fallback:
        family, name = _FALLBACK
        pdf.add_font(family, "", str(FONTS_DIR / name))
        pdf.set_fallback_fonts([family], exact_match=False)
    pdf.set_text_shaping(True, direction="ltr")  # documents are left-to-right


class _Page(FPDF):
    def __init__(self, letterhead: list[str], size: float, fallback: bool) -> None:
        super().__init__(format="Letter", unit="mm")
        self.letterhead = letterhead
        self.size = size
        self.set_margins(18, 14, 18)
        self.set_auto_page_break(True, margin=14)
        _install_fonts(self, fallback)

    def header(self) -> None:
        for n, line in enumerate(self.letterhead):
            size = self.size + 3 if n == 0 else self.size - 1
            self.set_font(FAMILY, "B" if n == 0 else "", size)
            self.set_text_color(0 if n == 0 else 85)
            self.cell(
                0,
                (self.size + 3 if n == 0 else self.size) * 0.45,
                plain_text(line),
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
        pdf.set_font(FAMILY, style, size)
        pdf.write(height, run.text)


def _block(pdf: _Page, block: Block, size: float) -> None:
    line_h = size * 0.46
    if block.kind == "heading":
        grow = 4 if block.level == 1 else 1.5
        pdf.ln(1.2 if block.level > 1 else 0)
        pdf.set_font(FAMILY, "B", size + grow)
        pdf.multi_cell(
            0,
            (size + grow) * 0.5,
            plain_text(block.lines[0]),
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
            pdf.set_font(FAMILY, "", size)
            pdf.cell(indent, line_h, "-")
            left = pdf.l_margin
            pdf.set_left_margin(left + indent)
            _write_runs(pdf, item, size, line_h)
            pdf.set_left_margin(left)
            pdf.ln(line_h)
        pdf.ln(line_h * 0.4)
    elif block.kind == "table" and block.rows:
        width = max(len(r) for r in block.rows)
        pdf.set_font(FAMILY, "", size - 1)
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
    for run in runs(text.replace("--", "-").replace("__", "_")):
        parts.append(f"**{run.text}**" if run.bold else run.text)
    return "".join(parts)


def _render(draft: Draft, size: float) -> FPDF:
    text = "".join([draft.title, draft.body, *draft.letterhead])
    pdf = _Page(draft.letterhead, size, needs_fallback(text))
    pdf.set_title(draft.title)
    pdf.set_creator("MES AI")
    pdf.add_page()
    for block in parse(draft.body):
        _block(pdf, block, size)
    return pdf


def to_pdf(draft: Draft) -> bytes:
    """The draft as PDF; one-page documents shrink the type until they fit.

    Smaller type holds at most about twice the text, so a draft longer than two pages at the
    first size is not re-rendered (the work stays bounded).
    """
    pdf = _render(draft, _SIZES[0])
    if not draft.one_page or pdf.pages_count == 1 or pdf.pages_count > 2:
        return bytes(pdf.output())
    # binary search for the largest size that fits one page (at most three more renders)
    low, high, best = 1, len(_SIZES) - 1, None
    while low <= high:
        middle = (low + high) // 2
        attempt = _render(draft, _SIZES[middle])
        if attempt.pages_count <= 1:
            best, high = attempt, middle - 1
        else:
            low = middle + 1
    return bytes((best or attempt).output())
