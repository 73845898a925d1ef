"""What the chat service returns: ChatReply and the events of a streamed reply."""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, Field


class ConversationNotFound(LookupError):
    """The conversation id is unknown or belongs to another tenant (HTTP 404)."""


class Citation(BaseModel):
    """A numbered source of an answer: `[n]` in the reply points here."""

    n: int
    source: str
    title: str
    section: str
    snippet: str


class DraftCard(BaseModel):
    """A drafted document attached to a reply, with its download links."""

    id: str
    kind: str
    title: str
    markdown: str
    html: str
    missing_fields: list[str] = Field(default_factory=list)
    missing_labels: list[str] = Field(
        default_factory=list, description="missing_fields in words, in the same order."
    )
    warnings: list[str] = Field(default_factory=list)
    downloads: dict[str, str] = Field(default_factory=dict)


class ChatReply(BaseModel):
    """One assistant turn (see notes/CHAT_CONTRACT.md)."""

    conversation_id: str
    message_id: str
    reply: str = Field(description="Markdown.")
    html: str = Field(description="Sanitised HTML of the reply.")
    category: str
    citations: list[Citation] = Field(default_factory=list)
    draft: DraftCard | None = None
    tier_gap: dict[str, Any] | None = None
    pending: str | None = Field(None, description="What the assistant is waiting for.")


class ChatEvent(NamedTuple):
    """One server-sent event: meta, delta (one or more), then done; or error."""

    event: str
    data: dict[str, Any]


def draft_links(draft_id: str) -> dict[str, str]:
    return {fmt: f"/v1/chat/drafts/{draft_id}?format={fmt}" for fmt in ("md", "docx", "pdf")}
