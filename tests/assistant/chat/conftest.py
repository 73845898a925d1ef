"""Chat fixtures: the session's real knowledge index and guard, a fresh SQLite per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from assistant.chat import ChatService
from assistant.chat.generate import ExtractiveGenerator
from assistant.services import Services
from assistant.settings import Settings
from assistant.storage import Database

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)
"""A Wednesday: "today" in these tests (before the real date, so no session is in the future)."""


@cache
def _training_texts() -> frozenset[str]:
    from guardrails.dataset import all_examples

    return frozenset(" ".join(e.text.lower().split()) for e in all_examples())


def fresh(message: str) -> str:
    """A test message, checked not to be a sentence the guard was trained or evaluated on."""
    assert " ".join(message.lower().split()) not in _training_texts(), message
    return message


@pytest.fixture()
def db_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture()
def make_chat(knowledge_services: Services, db_settings: Settings) -> Callable[[], ChatService]:
    """Builds a ChatService on the shared index and a database file in tmp_path (call it
    again to simulate a restart on the same file)."""

    def build() -> ChatService:
        return ChatService(
            knowledge_services, Database(db_settings), ExtractiveGenerator(), clock=lambda: NOW
        )

    return build


@pytest.fixture()
def chat(make_chat: Callable[[], ChatService]) -> ChatService:
    return make_chat()
