"""`/v1/conversations`: the caller's tenant's conversations only; others' ids are a 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.conversations import ConversationDetail, ConversationList, ConversationSummary

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])
ConversationId = Annotated[str, Path(min_length=1, max_length=64)]


def _not_found() -> ApiError:
    return ApiError(404, "not_found", "no such conversation")


@router.get("", responses=errors(*AUTH_ERRORS))
def list_conversations(
    caller: CallerDep, services: ServicesDep
) -> ConversationList:
    records = services.conversations(caller.tenant)
    return ConversationList(conversations=[ConversationSummary.of(r) for r in records])


@router.get("/{conversation_id}", responses=errors(404, *AUTH_ERRORS))
def get_conversation(
    conversation_id: ConversationId,
    caller: CallerDep,
    services: ServicesDep,
) -> ConversationDetail:
    record = services.conversation(caller.tenant, conversation_id)
    if record is None:
        raise _not_found()
    return ConversationDetail.full(record)


@router.delete(
    "/{conversation_id}", status_code=204, response_class=Response,
    responses=errors(404, *AUTH_ERRORS),
)
def delete_conversation(
    conversation_id: ConversationId,
    caller: CallerDep,
    services: ServicesDep,
) -> Response:
    if not services.delete_conversation(caller.tenant, conversation_id):
        raise _not_found()
    return Response(status_code=204)
