"""`mes-ai` command line: thin commands that parse input and call services."""

from __future__ import annotations

from assistant.cli import commands_drafting  # noqa: F401  # isort: skip
from assistant.cli import commands_retrieval  # noqa: F401  (registers commands)
from assistant.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
