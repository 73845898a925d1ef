"""`/v1/drafts/{kind}` and `/v1/tiers/gap`: typed bodies in, the services' answers out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import ServicesDep
from api.errors import ApiError, ErrorBody
from api.schemas.drafts import (
    DRAFT_FILES,
    MEDIA,
    DraftError,
    DraftRequest,
    DraftResponse,
    Format,
    Kind,
    PractitionerProfile,
    TierGap,
)

router = APIRouter(prefix="/v1")


@router.post("/drafts/{kind}", response_model=DraftResponse, responses=DRAFT_FILES)
def create_draft(
    kind: Kind,
    body: DraftRequest,
    services: ServicesDep,
    fmt: Annotated[
        Format | None, Query(alias="format", description="md, docx or pdf: return a file")
    ] = None,
) -> DraftResponse | Response:
    try:
        result = services.draft(kind, body.case, body.options)
    except DraftError as exc:
        raise ApiError(422, "invalid_request", "; ".join(exc.errors)) from exc
    if fmt is None:
        return DraftResponse.model_validate(result.to_json())
    return Response(
        services.export_draft(result, fmt),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{kind}.{fmt}"'},
    )


@router.post("/tiers/gap", response_model=TierGap, responses={422: {"model": ErrorBody}})
def gap(body: PractitionerProfile, services: ServicesDep) -> TierGap:
    return services.tier_gap(body)
