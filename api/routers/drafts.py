"""`/v1/drafts/{kind}` and `/v1/tiers/gap`: typed bodies in, the services' answers out."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ServicesDep
from api.errors import ApiError, ErrorBody
from assistant.drafting import DraftError, DraftOptions, draft, export
from assistant.drafting.options import Format, Kind
from assistant.models import ClientCase, PractitionerProfile
from assistant.skills import skills_file
from assistant.tiers import TierGap, tier_gap

router = APIRouter(prefix="/v1")

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


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


_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The draft as JSON, or the file when ?format= is given",
        "content": {media: {} for media in MEDIA.values()},
    },
    422: {"model": ErrorBody},
}


@router.post("/drafts/{kind}", response_model=DraftResponse, responses=_FILES)
def create_draft(
    kind: Kind,
    body: DraftRequest,
    services: ServicesDep,
    fmt: Annotated[
        Format | None, Query(alias="format", description="md, docx or pdf: return a file")
    ] = None,
) -> DraftResponse | Response:
    try:
        result = draft(kind, body.case, body.options, services.settings.knowledge_dir)
    except DraftError as exc:
        raise ApiError(422, "invalid_request", "; ".join(exc.errors)) from exc
    if fmt is None:
        return DraftResponse.model_validate(result.to_json())
    return Response(
        export(result, fmt),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{kind}.{fmt}"'},
    )


@router.post("/tiers/gap", response_model=TierGap, responses={422: {"model": ErrorBody}})
def gap(body: PractitionerProfile, services: ServicesDep) -> TierGap:
    settings = services.settings
    skills = skills_file(settings.data_dir, settings.knowledge_dir)
    return tier_gap(body, settings.knowledge_dir / "tiers.yaml", skills)
