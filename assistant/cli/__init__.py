"""`mes-ai` command line: thin commands that parse input and call services."""

from __future__ import annotations

from assistant.cli import (
    commands_chat,
    commands_drafting,
    commands_guard,
    commands_ingest,
    commands_keys,
    commands_models,
    commands_search,
    commands_serve,
    commands_skills,
)
from assistant.cli.app import app

COMMAND_MODULES = (
    commands_chat,
    commands_drafting,
    commands_guard,
    commands_ingest,
    commands_keys,
    commands_models,
    commands_search,
    commands_serve,
    commands_skills,
)
"""Importing these registers their commands on `app`."""


def main() -> None:
    app()


__all__ = ["app", "main"]
