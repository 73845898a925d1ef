"""Markdown to safe HTML through the widget's sanitiser (escaped text until it is present)."""

from __future__ import annotations

import html


def to_html(markdown: str) -> str:
    try:
        from assistant.chat.markdown import to_safe_html
    except ImportError:
        return "<p>" + html.escape(markdown).replace("\n", "<br>") + "</p>"
    return to_safe_html(markdown)
