"""A stateless client's transcript (the OpenAI `messages[]`) mapped onto a stored conversation.

An OpenAI-style client sends the whole history with every request. When that history is exactly
a conversation this tenant already has (the client is continuing a chat the server answered), the
new turn continues that conversation, so what the chat remembers between turns (a draft waiting
for fields, a profile change waiting for a yes) carries over and nothing is stored twice. Any
other history is stored once as a new conversation, so the guard still sees the earlier turns.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.storage import Database

Turn = tuple[str, str]
"""(role, text) with role "user" or "assistant"."""

SCAN = 20
"""How many of the tenant's most recently updated conversations are compared."""


def _same(a: str, b: str) -> bool:
    return a.split() == b.split()


def find_conversation(
    db: Database, tenant: str, history: Sequence[Turn], scan: int = SCAN
) -> str | None:
    """The newest stored conversation whose messages are exactly `history`, or None."""
    if not history:
        return None
    for candidate in db.list_conversations(tenant, limit=scan):
        found = db.get_conversation(tenant, candidate.id, last=len(history) + 1)
        if found is None or len(found.messages) != len(history):
            continue
        if all(
            m.role == role and _same(m.content, text)
            for m, (role, text) in zip(found.messages, history, strict=True)
        ):
            return found.id
    return None


def conversation_for(db: Database, tenant: str, history: Sequence[Turn]) -> str | None:
    """The conversation a request with this history continues: a stored one that matches,
    else a new one holding the history; None when there is no history (a new chat)."""
    if not history:
        return None
    existing = find_conversation(db, tenant, history)
    if existing is not None:
        return existing
    conversation = db.create_conversation(tenant)
    for role, text in history:
        db.add_message(tenant, conversation.id, role, text)
    return conversation.id
