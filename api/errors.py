"""Every error leaves the API as {"error": {"code", "message"}} with a 4xx status.

One status per kind of mistake: 422 for an invalid parameter or body (wrong type, out of range,
unknown field, malformed JSON), 404 for an unknown path, 405 (with `Allow`) for a wrong method,
413 for a body that is too large. /openapi.json documents this shape for every 422.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.models import error_lines


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """The body of every 4xx answer."""

    error: ErrorDetail


class ApiError(Exception):
    """Raised by routers for a clear client-facing error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    return {"error": {"code": code, "message": message}}


def _field_message(exc: RequestValidationError) -> str:
    """The same "field.path: message" lines the CLI prints, at most eight of them."""
    errors = list(exc.errors())
    for err in errors:
        if err.get("type") == "json_invalid":
            where = err.get("ctx", {}).get("error", "")
            return f"body: malformed JSON{f' ({where})' if where else ''}"
    lines = error_lines(errors, skip=("body", "query", "path"))
    more = len(lines) - 8
    return "; ".join(lines[:8]) + (f"; and {more} more" if more > 0 else "") or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", _field_message(exc)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and exc.detail == _UNPARSABLE_BODY:
            # FastAPI's answer when the JSON parser itself fails (e.g. nesting too deep)
            return JSONResponse(
                error_body("invalid_request", "body: malformed JSON (it cannot be parsed)"),
                status_code=422,
            )
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)),
            status_code=exc.status_code,
            headers=_with_head(getattr(exc, "headers", None)),
        )

    app.add_middleware(HeadAsGet)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]


_UNPARSABLE_BODY = "There was an error parsing the body"


def _with_head(headers: dict[str, str] | None) -> dict[str, str] | None:
    """A 405's `Allow` names HEAD wherever GET is allowed (HeadAsGet answers it)."""
    if not headers or "Allow" not in headers:
        return headers
    methods = [m.strip() for m in headers["Allow"].split(",") if m.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return {**headers, "Allow": ", ".join(methods)}


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema with every 422 documented as {"error": {"code","message"}}."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(body.pop("$defs", {}))
    components["ErrorBody"] = body
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                responses["422"] = {
                    "description": "Invalid parameter or body; the message names the field",
                    "content": {"application/json": {"schema": ref}},
                }
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    app.openapi_schema = schema
    return schema


class HeadAsGet:
    """ASGI middleware: HEAD is answered like GET without the body, for every GET route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class BodySizeLimit:
    """ASGI middleware: a body over `max_bytes` gets a 413 before any router sees it.

    A declared Content-Length is checked up front; a chunked body is counted as it arrives and
    buffered (it is at most `max_bytes`), then replayed to the app.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send, declared.isdigit())
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self._refuse(scope, receive, send, True)
                return
            if message["type"] != "http.request" or not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, too_big: bool) -> None:
        text = f"request body larger than {self.max_bytes:,} bytes"
        response = JSONResponse(
            error_body("payload_too_large", text if too_big else "invalid Content-Length header"),
            status_code=413,
        )
        await response(scope, receive, send)
