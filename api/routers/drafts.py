"""`/v1/drafts/{kind}` and `/v1/tiers/gap`: parse the body, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response

from api.deps import get_services
from api.errors import ApiError
from assistant.drafting import FORMATS, DraftError, draft, export, parse_options
from assistant.models import CaseInputError, parse_case, parse_profile
from assistant.services import Services
from assistant.tiers import tier_gap

router = APIRouter(prefix="/v1")

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


@router.post("/drafts/{kind}", response_model=None)
def create_draft(
    kind: str,
    body: Annotated[dict[str, Any], Body()],
    services: Annotated[Services, Depends(get_services)],
    fmt: Annotated[str | None, Query(alias="format")] = None,
) -> dict[str, Any] | Response:
    if fmt is not None and fmt not in FORMATS:
        raise ApiError(400, "invalid_format", f"format must be one of: {', '.join(FORMATS)}")
    if not isinstance(body.get("case"), dict):
        raise ApiError(422, "invalid_case", "case: a ClientCase object is required")
    try:
        case, options = parse_case(body["case"]), parse_options(body.get("options"))
        result = draft(kind, case, options, services.settings.knowledge_dir)
    except (CaseInputError, DraftError) as exc:
        raise ApiError(422, "invalid_case", "; ".join(exc.errors)) from exc
    if fmt is None:
        return result.to_json()
    name = f"{kind}.{fmt}"
    return Response(
        export(result, fmt),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/tiers/gap")
def gap(
    body: Annotated[dict[str, Any], Body()],
    services: Annotated[Services, Depends(get_services)],
) -> dict[str, Any]:
    knowledge = services.settings.knowledge_dir
    try:
        result = tier_gap(parse_profile(body), knowledge / "tiers.yaml", knowledge / "skills.yaml")
    except CaseInputError as exc:
        raise ApiError(422, "invalid_profile", "; ".join(exc.errors)) from exc
    return result.model_dump()
