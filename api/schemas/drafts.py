"""`POST /v1/drafts/{kind}` and `POST /v1/tiers/gap` bodies (the cores' models where they fit)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.errors import ErrorBody
from assistant.drafting.options import DraftError, DraftOptions, Format, Kind
from assistant.models import ClientCase, PractitionerProfile
from assistant.tiers import TierGap

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}
"""The media type of each draft format."""


class DraftRequest(BaseModel):
    """POST /v1/drafts/{kind} body."""

    model_config = ConfigDict(extra="forbid")

    case: ClientCase
    options: DraftOptions = Field(default_factory=DraftOptions)


class DraftResponse(BaseModel):
    """A drafted document as JSON (without ?format)."""

    kind: str
    title: str
    markdown: str
    missing_fields: list[str]
    warnings: list[str]


DRAFT_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The draft as JSON, or the file when ?format= is given",
        "content": {media: {} for media in MEDIA.values()},
    },
    422: {"model": ErrorBody},
}

__all__ = [
    "DRAFT_FILES",
    "MEDIA",
    "DraftError",
    "DraftRequest",
    "DraftResponse",
    "Format",
    "Kind",
    "PractitionerProfile",
    "TierGap",
]
