"""`/healthz` and `/v1/search`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError, ErrorBody
from assistant.generation import IndexPointerError
from assistant.limits import multi_line
from assistant.retrieval import IndexEmptyError, IndexUnreadableError, SearchError

router = APIRouter()


class HealthResponse(BaseModel):
    status: str
    documents: int
    chunks: int
    generation: int
    llm: bool


class SearchHit(BaseModel):
    text: str
    source: str
    title: str
    section: str
    score: float
    id: str = ""
    flagged: bool = False


class SearchResponse(BaseModel):
    results: list[SearchHit]


@router.get("/healthz", response_model=HealthResponse, responses={503: {"model": ErrorBody}})
def healthz(services: ServicesDep) -> dict[str, object]:
    try:
        stats = services.index_stats()
    except IndexPointerError as exc:
        raise ApiError(503, "index_unavailable", str(exc)) from exc
    return {
        "status": "ok",
        "documents": stats["documents"],
        "chunks": stats["chunks"],
        "generation": stats["generation"],
        "llm": services.settings.llm_enabled,
    }


@router.get(
    "/v1/search",
    response_model=SearchResponse,
    responses={422: {"model": ErrorBody}, 503: {"model": ErrorBody}},
)
def search(
    services: ServicesDep,
    caller: CallerDep,
    q: Annotated[str, Query(max_length=10_000)] = "",
    k: Annotated[int, Query()] = 5,
) -> dict[str, object]:
    try:
        multi_line(q)
    except ValueError as exc:
        raise ApiError(422, "invalid_request", f"q: {exc}") from exc
    try:
        results = services.search(q, k, tenant=caller.tenant)
    except IndexEmptyError:
        return {"results": []}
    except IndexUnreadableError as exc:
        raise ApiError(503, "index_unavailable", str(exc)) from exc
    except SearchError as exc:
        raise ApiError(422, "invalid_query", str(exc)) from exc
    return {"results": [r.as_dict() for r in results]}
