"""`GET /widget.js` (the embeddable chat element) and `GET /` (a demo practice page using it)."""

from __future__ import annotations

import hashlib
from functools import cache
from html import escape
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
WIDGET_HEADERS = {
    # Short freshness so a fix reaches host pages quickly; the ETag makes revalidation cheap.
    "Cache-Control": "public, max-age=300",
    # A module script loaded from another site's page is fetched with CORS.
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter(include_in_schema=False)


@cache
def _read(name: str, mtime_ns: int) -> tuple[bytes, str]:
    body = (STATIC_DIR / name).read_bytes()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def static_asset(name: str) -> tuple[bytes, str]:
    """A file of api/static/ and its ETag, read again only when the file changes."""
    return _read(name, (STATIC_DIR / name).stat().st_mtime_ns)


@router.get("/widget.js")
def widget_js(request: Request) -> Response:
    body, etag = static_asset("widget.js")
    headers = {**WIDGET_HEADERS, "ETag": etag}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/", response_class=HTMLResponse)
def demo_page(request: Request, key: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """The mock practice site; `?key=` fills the widget key in for a server that has keys."""
    origin = str(request.base_url).rstrip("/")
    page = static_asset("index.html")[0].decode("utf-8")
    page = page.replace("__ORIGIN__", escape(origin)).replace("__KEY__", escape(key))
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
