"""Conversations, messages and feedback as the API shows them (no internal state)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.storage import ConversationRecord, MessageRecord


class ConversationSummary(BaseModel):
    id: str
    title: str
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, record: ConversationRecord) -> ConversationSummary:
        return cls(
            id=record.id,
            title=record.title,
            created_at=record.created_at,
            updated_at=record.updated_at,
        )


class ConversationList(BaseModel):
    conversations: list[ConversationSummary]


class MessageOut(BaseModel):
    id: str
    role: Literal["user", "assistant"]
    content: str
    category: str | None = None
    citations: list[dict[str, Any]] = Field(default_factory=list)
    draft_id: str | None = None
    created_at: dt.datetime

    @classmethod
    def of(cls, record: MessageRecord) -> MessageOut:
        return cls.model_validate(record.model_dump(exclude={"conversation_id"}))


class ConversationDetail(ConversationSummary):
    messages: list[MessageOut]

    @classmethod
    def full(cls, record: ConversationRecord) -> ConversationDetail:
        return cls(
            **ConversationSummary.of(record).model_dump(),
            messages=[MessageOut.of(m) for m in record.messages],
        )


class FeedbackRequest(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=64)
    message_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str | None = Field(None, max_length=4000)


class FeedbackResponse(BaseModel):
    status: Literal["recorded"] = "recorded"
