"""`POST /v1/chat` (JSON, or server-sent events) and `GET /v1/chat/drafts/{id}` (the file)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import chain
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response, StreamingResponse

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError, error_body
from api.schemas.chat import ChatRequest, DraftFormat
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.drafts import MEDIA
from assistant.chat import ChatEvent, ChatReply, ConversationNotFound

router = APIRouter(prefix="/v1/chat", tags=["chat"])
SSE_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The reply; with `Accept: text/event-stream` the events meta, delta..., "
        "done (or error) as server-sent events.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def sse(event: str, data: object) -> str:
    """One server-sent event."""
    payload = json.dumps(jsonable_encoder(data), ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {payload}\n\n"


def _event_stream(events: Iterator[ChatEvent]) -> Iterator[str]:
    try:
        for item in events:
            yield sse(item.event, item.data)
    except Exception:  # the stream already started: report in-band, never a broken socket
        yield sse("error", error_body("internal_error", "the reply could not be completed"))


def _invalid(exc: ValueError) -> ApiError:
    return ApiError(422, "invalid_message", str(exc))


def _missing() -> ApiError:
    return ApiError(404, "not_found", "no such conversation")


@router.post(
    "", response_model=ChatReply, responses={**SSE_DOC, **errors(404, 422, *AUTH_ERRORS)}
)
def chat(
    body: ChatRequest,
    caller: CallerDep,
    services: ServicesDep,
    accept: Annotated[str | None, Header()] = None,
) -> ChatReply | Response:
    """Answer one message; the conversation is stored for the caller's tenant."""
    if accept and "text/event-stream" in accept:
        try:
            events = services.chat.stream(caller.tenant, body.message, body.conversation_id)
            first = next(events)
        except StopIteration as exc:
            raise ApiError(422, "invalid_message", "no reply") from exc
        except ConversationNotFound as exc:
            raise _missing() from exc
        except ValueError as exc:
            raise _invalid(exc) from exc
        return StreamingResponse(
            _event_stream(chain([first], events)),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )
    try:
        return services.chat.reply(caller.tenant, body.message, body.conversation_id)
    except ConversationNotFound as exc:
        raise _missing() from exc
    except ValueError as exc:
        raise _invalid(exc) from exc


@router.get(
    "/drafts/{draft_id}",
    response_class=Response,
    responses={
        200: {"content": {m.split(";")[0]: {} for m in MEDIA.values()}},
        **errors(404, 422, *AUTH_ERRORS),
    },
)
def draft_file(
    draft_id: Annotated[str, Path(min_length=1, max_length=64)],
    caller: CallerDep,
    services: ServicesDep,
    fmt: Annotated[DraftFormat, Query(alias="format")] = "md",
) -> Response:
    """A draft made in chat as Markdown, DOCX or PDF (the caller's tenant only)."""
    found = services.chat_draft_file(caller.tenant, draft_id, fmt)
    if found is None:
        raise ApiError(404, "not_found", "no such draft")
    return Response(
        found.data,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{found.name}"'},
    )
