"""`POST /v1/feedback`: a rating of one assistant message of the caller's tenant."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.conversations import FeedbackRequest, FeedbackResponse

router = APIRouter(prefix="/v1", tags=["chat"])


@router.post("/feedback", status_code=201, responses=errors(404, *AUTH_ERRORS))
def feedback(
    body: FeedbackRequest, caller: CallerDep, services: ServicesDep
) -> FeedbackResponse:
    recorded = services.add_feedback(
        caller.tenant, body.conversation_id, body.message_id, body.rating, body.comment
    )
    if not recorded:
        raise ApiError(404, "not_found", "no such message in this conversation")
    return FeedbackResponse()
