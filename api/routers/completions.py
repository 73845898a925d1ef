"""`POST /v1/chat/completions`: the chat service behind the OpenAI chat-completions shape.

The last user message is answered; the user/assistant messages before it are the conversation's
history (system messages are ignored: the assistant's rules do not change). A history that is
exactly a stored conversation of the caller's tenant continues it (pending draft questions carry
over, nothing is stored twice); any other history is stored once as a new conversation. With
`stream: true` the reply comes as `chat.completion.chunk` events ending in `data: [DONE]`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError, error_body
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.completions import (
    AssistantMessage,
    ChatCompletion,
    Choice,
    CompletionRequest,
    Extension,
    Usage,
)
from assistant.chat import ChatEvent, ConversationNotFound

router = APIRouter(prefix="/v1/chat", tags=["openai"])
STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "With `stream: true`: `chat.completion.chunk` server-sent events, then "
        "`data: [DONE]`.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def _split(body: CompletionRequest) -> tuple[str, list[tuple[str, str]]]:
    """The last user message and the user/assistant turns before it."""
    last = max((i for i, m in enumerate(body.messages) if m.role == "user"), default=None)
    if last is None or not body.messages[last].text().strip():
        raise ApiError(422, "invalid_message", "messages: a non-empty user message is required")
    history: list[tuple[str, str]] = [
        (str(m.role), m.text())
        for m in body.messages[:last]
        if m.role in ("user", "assistant") and m.text().strip()
    ]
    return body.messages[last].text(), history


def _words(*texts: str) -> int:
    return sum(len(t.split()) for t in texts)


def _chunk(cid: str, created: int, model: str, delta: dict[str, str], finish: str | None) -> str:
    payload = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(payload, ensure_ascii=False, separators=(',', ':'))}\n\n"


def _chunks(events: Iterator[ChatEvent], model: str, created: int) -> Iterator[str]:
    cid = f"chatcmpl-{int(created)}"
    try:
        for item in events:
            if item.event == "meta":
                cid = f"chatcmpl-{item.data.get('message_id', '')}"
                yield _chunk(cid, created, model, {"role": "assistant", "content": ""}, None)
            elif item.event == "delta":
                yield _chunk(cid, created, model, {"content": str(item.data.get("text", ""))}, None)
            elif item.event == "done":
                yield _chunk(cid, created, model, {}, "stop")
            elif item.event == "error":
                yield f"data: {json.dumps(item.data)}\n\n"
    except Exception:  # the stream already started: report in-band
        body = error_body("internal_error", "the reply could not be completed")
        yield f"data: {json.dumps(body)}\n\n"
    yield "data: [DONE]\n\n"


@router.post(
    "/completions",
    response_model=ChatCompletion,
    responses={**STREAM_DOC, **errors(404, 422, *AUTH_ERRORS)},
)
def completions(
    body: CompletionRequest, caller: CallerDep, services: ServicesDep
) -> ChatCompletion | Response:
    """OpenAI-compatible chat completions (plain or `stream: true`)."""
    message, history = _split(body)
    created = int(time.time())
    try:
        conversation_id = services.completion_conversation(caller.tenant, history)
        if body.stream:
            events = services.chat.stream(caller.tenant, message, conversation_id)
            first = next(events, None)
            if first is None:
                raise ApiError(422, "invalid_message", "no reply")
            return StreamingResponse(
                _chunks(_prepend(first, events), body.model, created),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-store"},
            )
        reply = services.chat.reply(caller.tenant, message, conversation_id)
    except ConversationNotFound as exc:  # deleted while this request was served
        raise ApiError(404, "not_found", "the conversation was deleted") from exc
    except ValueError as exc:
        raise ApiError(422, "invalid_message", str(exc)) from exc
    return ChatCompletion(
        id=f"chatcmpl-{reply.message_id}",
        created=created,
        model=body.model,
        choices=[Choice(message=AssistantMessage(content=reply.reply))],
        usage=Usage(
            prompt_tokens=_words(message, *(t for _, t in history)),
            completion_tokens=_words(reply.reply),
            total_tokens=_words(message, reply.reply, *(t for _, t in history)),
        ),
        mes=Extension(
            conversation_id=reply.conversation_id,
            message_id=reply.message_id,
            category=reply.category,
            citations=[c.model_dump() for c in reply.citations],
        ),
    )


def _prepend(first: ChatEvent, rest: Iterator[ChatEvent]) -> Iterator[ChatEvent]:
    yield first
    yield from rest
