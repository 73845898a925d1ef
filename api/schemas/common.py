"""OpenAPI `responses=` entries for the error body every 4xx carries."""

from __future__ import annotations

from typing import Any

from api.errors import ErrorBody

AUTH_ERRORS = (401, 403, 429)


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Document `{"error": {"code","message"}}` for these statuses."""
    return {status: {"model": ErrorBody} for status in statuses}
