"""A small Markdown reader for the exporters: the subset the document templates produce."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.drafting.mdtext import ENTITIES, ESCAPED

_INLINE = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_HIDDEN = 0x100000  # an escaped character is hidden in Supplementary Private Use Area-B
_HIDDEN_CHAR = re.compile("[\U00100000-\U0010007f]")


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Block:
    kind: str  # heading, paragraph, bullets, table, rule
    level: int = 0
    lines: list[str] = field(default_factory=list)  # paragraph lines or bullet items
    rows: list[list[str]] = field(default_factory=list)  # table rows, header first


def _hide(text: str) -> str:
    """Escaped characters (\\*, &lt;) as stand-ins no Markdown rule matches."""
    return ESCAPED.sub(lambda m: chr(_HIDDEN + ord(m.group(1) or ENTITIES[m.group(2)])), text)


def _show(text: str) -> str:
    """Hidden characters as the literal characters they stand for."""
    return _HIDDEN_CHAR.sub(lambda m: chr(ord(m.group(0)) - _HIDDEN), text)


def _escaped(text: str) -> str:
    """Hidden characters as Markdown escapes again."""
    return _HIDDEN_CHAR.sub(lambda m: "\\" + chr(ord(m.group(0)) - _HIDDEN), text)


def runs(text: str) -> list[Run]:
    """Split **bold** and *italic* spans into runs of literal text (escapes undone)."""
    text = _hide(text)
    out: list[Run] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append(Run(_show(text[pos : match.start()])))
        if match.group(1) is not None:
            out.append(Run(_show(match.group(1)), bold=True))
        else:
            out.append(Run(_show(match.group(2)), italic=True))
        pos = match.end()
    if pos < len(text):
        out.append(Run(_show(text[pos:])))
    return out


def plain_text(text: str) -> str:
    """The text without inline markers."""
    return "".join(r.text for r in runs(text))


def _cells(line: str) -> list[str]:
    """The cells of a table row, split at unescaped pipes (escapes kept)."""
    return [_escaped(c.strip()) for c in _hide(line).strip().strip("|").split("|")]


def parse(markdown: str) -> list[Block]:
    """Headings, paragraphs (line structure kept), bullet lists, pipe tables and rules."""
    blocks: list[Block] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        if not stripped:
            i += 1
            continue
        if stripped == "---":
            blocks.append(Block("rule"))
            i += 1
        elif heading := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            blocks.append(Block("heading", level=len(heading.group(1)), lines=[heading.group(2)]))
            i += 1
        elif stripped.startswith("|"):
            rows: list[list[str]] = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = _cells(lines[i])
                if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                    rows.append(cells)
                i += 1
            blocks.append(Block("table", rows=rows))
        elif stripped.startswith("- "):
            items: list[str] = []
            while i < len(lines) and lines[i].strip().startswith("- "):
                items.append(lines[i].strip()[2:])
                i += 1
            blocks.append(Block("bullets", lines=items))
        else:
            para: list[str] = []
            while i < len(lines):
                current = lines[i].strip()
                if not current or current == "---" or current.startswith(("#", "|", "- ")):
                    break
                para.append(current)
                i += 1
            blocks.append(Block("paragraph", lines=para))
    return blocks


@dataclass(frozen=True)
class Budget:
    """How much of a draft a file export lays out, so every export is bounded work."""

    rows: int = 40  # table rows after the header
    cell: int = 300  # characters per table cell
    chars: int = 30_000  # characters of body text in all


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bounded(blocks: list[Block], budget: Budget, notice: str) -> list[Block]:
    """Blocks within the budget: long tables summarised, long cells clipped, and the body cut
    (with `notice` as the last paragraph) once `budget.chars` is spent. The Markdown draft keeps
    everything."""
    kept: list[Block] = []
    spent = 0
    for block in blocks:
        if block.kind == "table" and block.rows:
            header, *body = block.rows
            rows = [[_clip(c, budget.cell) for c in row] for row in body[: budget.rows]]
            if len(body) > budget.rows:
                more = f"… {len(body) - budget.rows} more rows in the Markdown draft"
                rows.append([more] + [""] * (len(header) - 1))
            block = Block(block.kind, block.level, rows=[header, *rows])
            size = sum(len(c) for row in block.rows for c in row)
        else:
            block = Block(block.kind, block.level, [_clip(x, budget.chars) for x in block.lines])
            size = sum(len(x) for x in block.lines)
        if spent + size > budget.chars and kept:
            kept.append(Block("paragraph", lines=[notice]))
            break
        kept.append(block)
        spent += size
    return kept
