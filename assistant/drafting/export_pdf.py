"""PDF export with fpdf2: embedded Unicode fonts (DejaVu Sans, Droid Sans Fallback for CJK),
shaped text (Arabic), one page when required."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.errors import FPDFException
from fpdf.fonts import FontFace

from assistant.drafting import catalog
from assistant.drafting.blocks import Block, Budget, bounded, parse, plain_text, runs
from assistant.drafting.mdtext import escape
from assistant.drafting.options import Draft

BUDGET = Budget(rows=30, chars=12_000)  # a one-page document holds about 5,000
SHAPED_BUDGET = Budget(rows=30, chars=6_000)  # shaped scripts (Arabic...) cost more per line

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
_FACES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
_FALLBACK = ("DroidFallback", "DroidSansFallbackFull.ttf")  # CJK and other scripts
_SIZES = (10.0, 9.0, 8.0, 7.0)  # the first, then a binary search: at most 3 renders


@cache
def _covered() -> frozenset[int]:
    """Code points every DejaVu face draws (read once per process)."""
    sets = []
    for name in _FACES.values():
        font = TTFont(str(FONTS_DIR / name), lazy=True)
        sets.append(set(font.getBestCmap()))
        font.close()
    return frozenset(set.intersection(*sets))


# Scripts whose letters change shape or order (Hebrew, Arabic, Syriac, Thaana, N'Ko, Indic,
# Thai, Lao, Tibetan, Myanmar, Khmer, Mongolian, Arabic presentation forms).
_COMPLEX = re.compile(r"[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f\u1780-\u18af"
                      r"\ufb1d-\ufdff\ufe70-\ufeff]")


def needs_shaping(text: str) -> bool:
    """True when the text has a script that needs a shaping engine (Arabic, Indic, ...)."""
    return _COMPLEX.search(text) is not None


def needs_fallback(text: str) -> bool:
    """True when some visible character is missing from DejaVu (CJK, for instance)."""
    covered = _covered()
    return any(ord(ch) not in covered for ch in set(text) if not ch.isspace())


Fonts = dict[str, Any]


def styles_used(text: str) -> list[str]:
    """The DejaVu faces a text needs: regular and bold always, italics only when used."""
    found = {"", "B"}
    for line in text.splitlines():
        for run in runs(line):
            if run.italic:
                found.add("BI" if run.bold else "I")
    return [style for style in _FACES if style in found]


def _install_fonts(
    pdf: FPDF, styles: list[str], fallback: bool, shaping: bool, loaded: Fonts | None
) -> None:
    """Embed the packaged Unicode fonts; Arabic and other complex scripts are shaped.

    The large CJK fallback font is loaded only for a draft that has characters DejaVu lacks.
    `loaded` are the fonts of an earlier trial render of the same draft: reused, since fpdf2
    only subsets a font when a document is written out, and only the last render is.
    """
    if loaded is not None:
        pdf.fonts.update(loaded)
    else:
        for style in styles:
            pdf.add_font(FAMILY, style, str(FONTS_DIR / _FACES[style]))
        if fallback:
            pdf.add_font(_FALLBACK[0], "", str(FONTS_DIR / _FALLBACK[1]))
    if fallback:
        pdf.set_fallback_fonts([_FALLBACK[0]], exact_match=False)
    if shaping:  # harfbuzz costs time per line, so only for the scripts that need it
        pdf.set_text_shaping(True, direction="ltr")  # documents are left-to-right


class _Page(FPDF):
    MARKDOWN_LINK_REGEX = re.compile(r"(?!)")  # table cells have no links: [x](y) prints as is

    def __init__(
        self,
        letterhead: list[str],
        size: float,
        text: str,
        styles: list[str],
        fonts: Fonts | None = None,
    ) -> None:
        super().__init__(format="Letter", unit="mm")
        self.letterhead = letterhead
        self.size = size
        self.set_margins(18, 14, 18)
        self.set_auto_page_break(True, margin=14)
        _install_fonts(self, styles, needs_fallback(text), needs_shaping(text), fonts)

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


def pieces(text: str, limit: int = 400, piece: int = 160) -> list[str]:
    """A long run cut at spaces into pieces written one after another.

    fpdf2 measures a shaped line by re-shaping it as it grows, so one long write costs time
    in the square of its length; pieces keep it linear and flow on the same line.
    """
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    while len(text) > piece:
        cut = text.rfind(" ", piece // 2, piece)
        cut = cut + 1 if cut > 0 else piece
        out.append(text[:cut])
        text = text[cut:]
    return [*out, text] if text else out


def _write_runs(pdf: _Page, text: str, size: float, height: float) -> None:
    for run in runs(text):
        style = ("B" if run.bold else "") + ("I" if run.italic else "")
        pdf.set_font(FAMILY, style, size)
        for part in pieces(run.text):
            pdf.write(height, part)


def _flat_table(pdf: _Page, rows: list[list[str]], size: float) -> None:
    """A table as one paragraph per row ("Heading: value; ..."): for cells too tall for a page."""
    header, *body = rows
    for row in body:
        pairs = [
            f"**{escape(plain_text(h))}:** {escape(plain_text(v))}"
            for h, v in zip(header, row, strict=False)
            if v.strip()
        ]
        _block(pdf, Block("bullets", lines=["; ".join(pairs)]), size, flat=True)


def _block(pdf: _Page, block: Block, size: float, flat: bool = False) -> None:
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
    elif block.kind == "table" and block.rows and flat:
        _flat_table(pdf, block.rows, size)
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


_FPDF_MARKER = re.compile(r"\*\*|__|~~|--")


def _fpdf_literal(text: str) -> str:
    """Text that fpdf2's markdown prints as is: backslashes doubled, markers escaped."""
    return _FPDF_MARKER.sub(lambda m: "\\" + m.group(0), text.replace("\\", "\\\\"))


def _cell_markup(text: str) -> str:
    """Cell text in fpdf2's markdown: **bold** kept, everything else literal."""
    parts = []
    for run in runs(text):
        literal = _fpdf_literal(run.text)
        parts.append(f"**{literal}**" if run.bold else literal)
    return "".join(parts)


def _render(draft: Draft, size: float, fonts: Fonts | None, flat: bool = False) -> FPDF:
    budget = SHAPED_BUDGET if needs_shaping(draft.body) else BUDGET
    blocks = bounded(parse(draft.body), budget, catalog.messages()["export"]["truncated"])
    cells = [c for b in blocks for r in b.rows for c in r]
    laid_out = "\n".join([*draft.letterhead, *(x for b in blocks for x in b.lines), *cells])
    pdf = _Page(draft.letterhead, size, draft.title + laid_out, styles_used(laid_out), fonts)
    pdf.set_title(draft.title)
    pdf.set_creator("MES AI")
    pdf.add_page()
    for block in blocks:
        _block(pdf, block, size, flat)
    return pdf


def _render_safely(draft: Draft, size: float, fonts: Fonts | None = None) -> FPDF:
    """Render; a table that cannot be laid out (a row taller than a page, columns too narrow
    for a character) makes every table a list of rows instead."""
    try:
        return _render(draft, size, fonts)
    except (ValueError, FPDFException):
        return _render(draft, size, fonts, flat=True)


def to_pdf(draft: Draft) -> bytes:
    """The draft as PDF; one-page documents shrink the type until they fit.

    Smaller type holds at most about twice the text, so a draft longer than two pages at the
    first size is not re-rendered (the work stays bounded).
    """
    pdf = _render_safely(draft, _SIZES[0])
    if not draft.one_page or pdf.pages_count == 1 or pdf.pages_count > 2:
        return bytes(pdf.output())
    # binary search for the largest size that fits one page (at most two more renders)
    low, high, best = 1, len(_SIZES) - 1, None
    while low <= high:
        middle = (low + high) // 2
        attempt = _render_safely(draft, _SIZES[middle], pdf.fonts)
        if attempt.pages_count <= 1:
            best, high = attempt, middle - 1
        else:
            low = middle + 1
    return bytes((best or attempt).output())
