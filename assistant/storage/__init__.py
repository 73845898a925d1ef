"""Conversation storage: SQLAlchemy 2 + Alembic; SQLite (WAL) by default, PostgreSQL by URL."""

from __future__ import annotations

from assistant.storage.database import Database, StorageError, client_key, hash_secret
from assistant.storage.records import (
    LOCAL_TENANT,
    ROLES,
    AuditRecord,
    ConversationRecord,
    DraftRecord,
    FeedbackRecord,
    KeyInfo,
    MessageRecord,
)

__all__ = [
    "LOCAL_TENANT",
    "ROLES",
    "AuditRecord",
    "ConversationRecord",
    "Database",
    "DraftRecord",
    "FeedbackRecord",
    "KeyInfo",
    "MessageRecord",
    "StorageError",
    "client_key",
    "hash_secret",
]
