"""`/v1/guard`: the scope decision for one message."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from api.deps import get_services
from api.errors import ApiError
from assistant.services import Services

router = APIRouter(prefix="/v1")


class GuardRequest(BaseModel):
    text: str = Field(max_length=200_000)


@router.post("/guard")
def guard(
    body: GuardRequest, services: Annotated[Services, Depends(get_services)]
) -> dict[str, object]:
    try:
        decision = services.guard.check_input(body.text)
    except ValueError as exc:
        raise ApiError(422, "invalid_text", str(exc)) from exc
    return {
        k: v
        for k, v in decision.to_dict().items()
        if k in {"category", "allowed", "reason", "message"}
    }
