"""`POST /v1/chat` request; the answer is the chat service's ChatReply."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DraftFormat = Literal["md", "docx", "pdf"]


class ChatRequest(BaseModel):
    message: str = Field(
        min_length=1, max_length=20_000, description="The practitioner's message (Markdown)."
    )
    conversation_id: str | None = Field(
        None, max_length=64, description="Continue this conversation; a new one when omitted."
    )
