"""`/v1/documents` answers."""

from __future__ import annotations

from pydantic import BaseModel

from assistant.uploads import DocumentInfo


class DocumentList(BaseModel):
    documents: list[DocumentInfo]


__all__ = ["DocumentInfo", "DocumentList"]
