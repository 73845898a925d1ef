"""User text in Markdown drafts: escaped so it prints literally, and read back by the exporters.

`escape` is applied to every value a document template prints (render.py); the templates' own
Markdown is left alone. The exporters' reader (blocks.py) undoes it with `ESCAPED`.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\\`*_\[\]|~]")
_ENTITY_START = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_BLOCK_START = re.compile(r"^(?:#{1,6}|[-+]|(\d{1,9})[.)])(?=[ \t]|$)|^[=-]+[ \t]*$|^>")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
"""A "<" that could open an HTML tag, comment or autolink; other angle brackets are text."""
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
    safe in a table cell), a "<" that could open a tag as an entity, no line starting a block
    (nor a quote)."""
    text = _PUNCTUATION.sub(lambda m: "\\" + m.group(0), text)
    text = _TAG_START.sub("&lt;", _ENTITY_START.sub("&amp;", text))  # "BP < 160/100" stays
    return "\n".join(_line(line) for line in text.split("\n"))
