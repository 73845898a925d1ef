"""`/v1/guard`: the scope decision for one message."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ServicesDep
from api.errors import ApiError

router = APIRouter(prefix="/v1")


class GuardRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=200_000)


class GuardResponse(BaseModel):
    category: str
    allowed: bool
    reason: str
    message: str | None = None


@router.post("/guard", response_model=GuardResponse)
def guard(
    body: GuardRequest, services: ServicesDep
) -> dict[str, object]:
    try:
        decision = services.check_text(body.text)
    except ValueError as exc:
        raise ApiError(422, "invalid_text", str(exc)) from exc
    return {
        k: v
        for k, v in decision.to_dict().items()
        if k in {"category", "allowed", "reason", "message"}
    }
