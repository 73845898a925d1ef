"""A small Markdown reader for the exporters: the subset the document templates produce."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_INLINE = re.compile(r"\*\*(.+?)\*\*|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")


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


def runs(text: str) -> list[Run]:
    """Split **bold** and *italic* spans into runs."""
    out: list[Run] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append(Run(text[pos : match.start()]))
        if match.group(1) is not None:
            out.append(Run(match.group(1), bold=True))
        else:
            out.append(Run(match.group(2), italic=True))
        pos = match.end()
    if pos < len(text):
        out.append(Run(text[pos:]))
    return out


def plain_text(text: str) -> str:
    """The text without inline markers."""
    return "".join(r.text for r in runs(text))


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


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
