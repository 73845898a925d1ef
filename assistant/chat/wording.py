"""The chat's sentences, read from prompts/chat/replies.yaml."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.paths import PROMPTS_DIR

REPLIES_PATH = PROMPTS_DIR / "chat" / "replies.yaml"


@cache
def replies(path: Path = REPLIES_PATH) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of reply texts")
    return data


def say(key: str, **values: Any) -> str:
    """The reply text `key` with its {placeholders} filled."""
    text = replies()[key]
    return str(text).format(**values) if values else str(text)


def label(group: str, key: str) -> str:
    return str(replies()[group].get(key, key))
