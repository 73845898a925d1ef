"""A second request tacked on after the first ("... draft the log. PS: can he take ...?")."""

from __future__ import annotations

import re
from functools import lru_cache

from guardrails.rules import vocabulary


@lru_cache(maxsize=1)
def _marker() -> re.Pattern[str]:
    return re.compile(vocabulary("add_on_marker"), re.IGNORECASE)


def add_on_request(text: str) -> str | None:
    """The request after the last add-on marker ("PS:", "oh and", "also,"), when there is one
    of three words or more: the guard judges it on its own as well."""
    matches = list(_marker().finditer(text))
    if not matches:
        return None
    tail = text[matches[-1].end() :].strip()
    return tail if len(tail.split()) >= 3 else None
