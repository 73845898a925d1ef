"""Markdown replies to HTML that is safe to insert into any page.

markdown-it-py renders CommonMark (plus tables) with raw HTML switched off, so HTML in the text
shows as text; nh3 (the ammonia sanitiser) then keeps only an allow-list of tags and attributes.
No script, style, iframe, image or form survives, no `on*` attribute, no `style`, and a link
keeps its `href` only for http, https and mailto URLs and always opens in a new tab with
`rel="noopener noreferrer"`. Citation markers such as `[1]` stay plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "s", "del", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_SCHEMES = ("http://", "https://", "mailto:")
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Only absolute http(s) and mailto links keep their target; `start` must be a number."""
    if attribute == "href":
        return value if value.strip().lower().startswith(LINK_SCHEMES) else None
    if attribute == "start":
        return value if value.isdigit() else None
    return value


def _image_as_text(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image becomes its alt text: no remote image is ever loaded."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.add_render_rule("image", _image_as_text)
    return md


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags and attributes of an HTML fragment."""
    return _cleaner().clean(html or "").strip()


def to_safe_html(markdown: str) -> str:
    """Render Markdown to sanitised HTML (see the module docstring for what is allowed)."""
    return sanitize_html(_markdown().render(markdown or ""))
