"""`/healthz` and `/v1/search`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError
from assistant.retrieval import IndexEmptyError, SearchError

router = APIRouter()


@router.get("/healthz")
def healthz(services: ServicesDep) -> dict[str, object]:
    stats = services.retriever.stats()
    return {
        "status": "ok",
        "documents": stats["documents"],
        "chunks": stats["chunks"],
        "generation": stats["generation"],
        "llm": services.settings.llm_enabled,
    }


@router.get("/v1/search")
def search(
    services: ServicesDep,
    caller: CallerDep,
    q: Annotated[str, Query(max_length=10_000)] = "",
    k: Annotated[int, Query()] = 5,
) -> dict[str, object]:
    try:
        results = services.search(q, k, tenant=caller.tenant)
    except IndexEmptyError:
        return {"results": []}
    except SearchError as exc:
        raise ApiError(422, "invalid_query", str(exc)) from exc
    return {"results": [r.as_dict() for r in results]}
