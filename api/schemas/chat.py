"""`POST /v1/chat` request; the answer is the chat service's ChatReply."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from assistant.limits import multi_line, single_line

DraftFormat = Literal["md", "docx", "pdf"]


class ChatRequest(BaseModel):
    message: Annotated[str, AfterValidator(multi_line)] = Field(
        min_length=1, max_length=20_000, description="The practitioner's message (Markdown)."
    )
    conversation_id: Annotated[str, AfterValidator(single_line)] | None = Field(
        None, max_length=64, description="Continue this conversation; a new one when omitted."
    )
