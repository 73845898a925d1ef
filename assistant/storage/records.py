"""What the store returns: plain pydantic records, never ORM rows."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.drafting.options import Draft

Role = Literal["admin", "practitioner", "widget"]
ROLES: tuple[str, ...] = ("admin", "practitioner", "widget")
LOCAL_TENANT = "local"


class KeyInfo(BaseModel):
    """An API key without its secret (the secret is shown once, at creation)."""

    id: str
    tenant: str
    role: Role
    origins: list[str] = Field(default_factory=list)
    rate_limit_per_min: int
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None


class MessageRecord(BaseModel):
    id: str
    conversation_id: str
    role: Literal["user", "assistant"]
    content: str
    category: str | None = None
    citations: list[dict[str, Any]] = Field(default_factory=list)
    draft_id: str | None = None
    created_at: dt.datetime


class ConversationRecord(BaseModel):
    """A conversation; `messages` is filled by get_conversation, empty in lists."""

    id: str
    tenant: str
    title: str
    state: dict[str, Any] = Field(default_factory=dict)
    created_at: dt.datetime
    updated_at: dt.datetime
    messages: list[MessageRecord] = Field(default_factory=list)


class DraftRecord(BaseModel):
    """A stored draft; `to_draft()` gives back what `drafting.export` needs."""

    id: str
    tenant: str
    conversation_id: str | None = None
    kind: str
    title: str
    markdown: str
    case: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    missing_fields: list[str] = Field(default_factory=list)
    layout: dict[str, Any] = Field(default_factory=dict)
    created_at: dt.datetime

    def to_draft(self) -> Draft:
        return Draft(
            kind=self.kind,
            title=self.title,
            markdown=self.markdown,
            missing_fields=list(self.missing_fields),
            warnings=list(self.warnings),
            letterhead=list(self.layout.get("letterhead", [])),
            body=str(self.layout.get("body", "")),
            one_page=bool(self.layout.get("one_page", False)),
        )


class AuditRecord(BaseModel):
    id: int
    tenant: str
    conversation_id: str | None = None
    message_id: str | None = None
    category: str
    reason: str
    created_at: dt.datetime


class FeedbackRecord(BaseModel):
    id: str
    tenant: str
    conversation_id: str
    message_id: str
    rating: Literal["up", "down"]
    comment: str | None = None
    created_at: dt.datetime
