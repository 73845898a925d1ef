"""Who is calling: API keys, roles, allowed origins (CORS) and per-key rate limits.

`authorize` runs before every route. Paths outside `/v1/` are public. With no API key in the
database the server is in local mode: every request is tenant "local" with the admin role
(`mes-ai serve` then binds to loopback only). Otherwise a key is read from
`Authorization: Bearer <secret>` or `X-API-Key`, its origin and role are checked against the
route, and its rate limit is applied (in this process's memory).

A widget key needs an allowed `Origin`. Browsers send none on a same-origin GET (the widget's
draft download from a page on this server), so such a request without `Origin` is accepted
when `Sec-Fetch-Site: same-origin` or the `Referer` places it on this server's own origin or
an allowed one; a request that says it comes from another site is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlsplit

import anyio
from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import ServicesDep
from api.errors import ApiError, error_body
from api.ratelimit import RateLimiter
from assistant.access import AccessError, normalise_origin, route_allowed
from assistant.services import Services
from assistant.storage import LOCAL_TENANT

ALLOW_METHODS = "GET, POST, DELETE, OPTIONS"
ALLOW_HEADERS = "Authorization, X-API-Key, Content-Type, Accept"
EXPOSE_HEADERS = "Retry-After, Content-Disposition"
NOSNIFF = (b"x-content-type-options", b"nosniff")

_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <secret>`")
_api_key = APIKeyHeader(name="X-API-Key", auto_error=False, description="The key's secret.")


@dataclass(frozen=True)
class Caller:
    """The tenant and role a request acts for."""

    tenant: str
    role: str
    key_id: str | None = None
    origins: tuple[str, ...] = field(default_factory=tuple)
    rate_limit_per_min: int = 0

    @property
    def local(self) -> bool:
        return self.key_id is None


LOCAL_CALLER = Caller(tenant=LOCAL_TENANT, role="admin")
PUBLIC_CALLER = Caller(tenant="", role="public")


class HeaderError(ApiError):
    """An ApiError that also sets response headers (WWW-Authenticate, Retry-After)."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str]) -> None:
        super().__init__(status, code, message)
        self.headers = headers


def authorize(
    request: Request,
    services: ServicesDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_api_key)],
) -> Caller:
    """Resolve and check the caller of this request (a FastAPI dependency)."""
    route = getattr(request.scope.get("route"), "path", request.url.path)
    if not route.startswith("/v1/"):
        return PUBLIC_CALLER
    secret = bearer.credentials if bearer else header_key
    if not secret:
        if not services.has_keys():
            return LOCAL_CALLER
        raise HeaderError(
            401, "unauthorized", "an API key is required (Authorization: Bearer <key>)",
            {"WWW-Authenticate": "Bearer"},
        )
    info = services.authenticate(secret.strip())
    if info is None:
        raise HeaderError(
            401, "unauthorized", "unknown or revoked API key", {"WWW-Authenticate": "Bearer"}
        )
    caller = Caller(
        tenant=info.tenant,
        role=info.role,
        key_id=info.id,
        origins=tuple(_origin_key(o) for o in info.origins),
        rate_limit_per_min=int(info.rate_limit_per_min or 0),
    )
    origin = request.headers.get("origin")
    if origin is not None and _origin_key(origin) in caller.origins:
        request.state.cors_origin = origin
    elif caller.role == "widget" and not (origin is None and _from_own_page(request, caller)):
        raise ApiError(403, "origin_not_allowed", "this key is not allowed from this origin")
    limiter: RateLimiter = request.app.state.rate_limiter
    wait = limiter.acquire(info.id, caller.rate_limit_per_min)
    if wait > 0:
        seconds = RateLimiter.retry_after(wait)
        raise HeaderError(
            429, "rate_limited", f"rate limit of {caller.rate_limit_per_min} requests a minute "
            f"reached; retry in {seconds} s", {"Retry-After": str(seconds)},
        )
    if not route_allowed(caller.role, request.method, route):
        raise ApiError(403, "forbidden", f"a {caller.role} key cannot use {request.method} {route}")
    return caller


CallerDep = Annotated[Caller, Depends(authorize)]


class Cors:
    """ASGI middleware: answers preflights for the origins of active keys and marks responses
    for an allowed origin (the per-key check happens in `authorize`); every response gets
    `X-Content-Type-Options: nosniff`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        origin = headers.get("origin")
        if scope["method"] == "OPTIONS" and origin and "access-control-request-method" in headers:
            await self._preflight(scope, receive, send, origin)
            return

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent = list(message.get("headers", []))
                if not any(k.lower() == NOSNIFF[0] for k, _ in sent):
                    message = {**message, "headers": [*sent, NOSNIFF]}
                allowed = (scope.get("state") or {}).get("cors_origin")
                if allowed:
                    extra = [
                        (b"access-control-allow-origin", allowed.encode("latin-1")),
                        (b"access-control-expose-headers", EXPOSE_HEADERS.encode()),
                        (b"vary", b"Origin"),
                    ]
                    message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_marked)

    async def _preflight(self, scope: Scope, receive: Receive, send: Send, origin: str) -> None:
        services: Services = scope["app"].state.services
        known = await anyio.to_thread.run_sync(_active_origins, services)
        if _origin_key(origin) not in known:
            response: Any = JSONResponse(
                error_body("origin_not_allowed", "no key allows this origin"), status_code=403
            )
        else:
            response = Response(
                status_code=204,
                headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": ALLOW_METHODS,
                    "Access-Control-Allow-Headers": ALLOW_HEADERS,
                    "Access-Control-Max-Age": "600",
                    "Vary": "Origin",
                },
            )
        await response(scope, receive, send)


def _from_own_page(request: Request, caller: Caller) -> bool:
    """A request without `Origin` that Fetch metadata or the Referer place on this server's
    own origin or one the key allows (never one that names another site)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site.strip().lower() != "same-origin":
        return False
    referer = request.headers.get("referer")
    if referer:
        page = _url_origin(referer)
        return bool(page) and (page in caller.origins or page == _url_origin(str(request.base_url)))
    return site is not None


def _url_origin(url: str) -> str:
    """The normalised origin of a URL (`https://a.example/x?y` -> `https://a.example`)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    return _origin_key(f"{parts.scheme}://{parts.netloc}")


def _origin_key(origin: str) -> str:
    try:
        return normalise_origin(origin)
    except AccessError:
        return ""


def _active_origins(services: Services) -> set[str]:
    return {
        _origin_key(o)
        for key in services.list_keys(None)
        if key.revoked_at is None
        for o in key.origins
    }


def install_auth(app: FastAPI) -> None:
    """Rate-limit state, the CORS middleware and the error handler for headered errors."""
    app.state.rate_limiter = RateLimiter()
    app.add_middleware(Cors)

    @app.exception_handler(HeaderError)
    async def _headered(_: Request, exc: HeaderError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers
        )
