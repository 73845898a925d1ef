"""User text in Markdown drafts: escaped so it prints literally, and read back by the exporters.

`escape` is applied to every value a document template prints (render.py); the templates' own
Markdown is left alone. The exporters' reader (blocks.py) undoes it with `ESCAPED`.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\\`*_\[\]|~]")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_BLOCK_START = re.compile(r"^(?:#{1,6}|[-+]|(\d{1,9})[.)])(?=[ \t]|$)|^[=-]+[ \t]*$")
ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])|&(lt|gt|amp);")
"""A backslash escape (group 1) or one of the entities `escape` writes (group 2)."""
ENTITIES = {"lt": "<", "gt": ">", "amp": "&"}


def _line(text: str) -> str:
    """A line that cannot start a heading, list, rule or setext underline."""
    text = text.lstrip(" \t")
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    number = match.group(1)
    if number:  # "1. item" -> "1\. item"
        return f"{number}\\{text[len(number) :]}"
    return f"\\{text}"


def escape(text: str) -> str:
    """`text` as Markdown that prints literally: punctuation backslash-escaped (| too, so it is
    safe in a table cell), HTML angle brackets as entities, no line starting a block."""
    text = _PUNCTUATION.sub(lambda m: "\\" + m.group(0), text)
    text = _ENTITY_START.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return "\n".join(_line(line) for line in text.split("\n"))

