"""Jinja2 rendering of the document templates in prompts/documents/."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from assistant.drafting.catalog import DOCUMENTS_DIR
from assistant.drafting.mdtext import escape
from assistant.drafting.names import name_words
from assistant.drafting.numbers import long_date, plain, short_date


def _date_filter(func: Any) -> Any:
    def apply(value: Any) -> str:
        if isinstance(value, str) and value.startswith("["):
            return value  # a placeholder passes through
        return str(func(value))

    return apply


def _literal(value: Any) -> Any:
    """A printed value as Markdown that shows it literally; Markup (the templates' own Markdown:
    macro output, placeholders) and non-text values pass through."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(escape(value))
    return value


def _text(value: Any) -> Markup:
    """Any value as literal Markdown text."""
    return Markup(_literal(value if isinstance(value, str) else str(value)))


def _join(items: Any, separator: str = "") -> Markup:
    """Like Jinja's join, with every item escaped as Markdown (not as HTML)."""
    return Markup(separator).join(_text(item) for item in items)


def _cell(value: Any) -> Markup:
    """A table cell: numbers as written, '—' when empty, pipes escaped, newlines as spaces."""
    if value is None or value == "":
        return Markup("—")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Markup(plain(value))
    return Markup(" ".join(_text(value).split("\n")))


def _is_one(count: Any) -> bool:
    try:
        return abs(float(str(count))) == 1
    except ValueError:
        return False


def _plural(count: Any, singular: str, plural: str | None = None) -> Markup:
    """'1 week', '2 weeks': the count with the noun in the right number."""
    noun = singular if _is_one(count) else (plural or singular + "s")
    return Markup(f"{_text(count)} {noun}")


def _salutation(name: str) -> str:
    """'Dr. Alan Patel' -> 'Dr. Patel' ('Dr Maya Stein MD' -> 'Dr Stein'); other names (and
    placeholders) unchanged."""
    parts = name_words(name)
    if len(parts) > 2 and parts[0].rstrip(".").lower() == "dr":
        return f"{parts[0]} {parts[-1]}"
    return name


@cache
def environment(folder: Path = DOCUMENTS_DIR) -> jinja2.Environment:
    """One Jinja environment per template folder (templates are cached by Jinja)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # with finalize: values escaped as Markdown, template text kept
        finalize=_literal,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["longdate"] = _date_filter(long_date)
    env.filters["shortdate"] = _date_filter(short_date)
    env.filters["cell"] = _cell
    env.filters["join"] = _join
    env.filters["plural"] = _plural
    env.filters["salutation"] = _salutation
    env.filters["op"] = lambda v: Markup({"<=": "≤", ">=": "≥"}.get(v, v))
    env.filters["first_upper"] = lambda v: v[:1].upper() + v[1:] if isinstance(v, str) else v
    env.filters["num"] = lambda v: plain(v) if isinstance(v, int | float) else v
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """Render one template and tidy blank lines."""
    text = environment().get_template(template).render(**context)
    text = re.sub(r"[ \t]+\n", lambda m: "  \n" if m.group(0).startswith("  ") else "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
