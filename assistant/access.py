"""Who may do what: the routes of each role, browser origins of keys, loopback hosts."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# The only routes a widget key reaches (method, route template).
WIDGET_ROUTES = frozenset(
    {
        ("POST", "/v1/chat"),
        ("GET", "/v1/chat/drafts/{draft_id}"),
        ("POST", "/v1/feedback"),
        ("GET", "/v1/search"),
    }
)
ADMIN_ONLY_PREFIX = "/v1/documents"


class AccessError(ValueError):
    """An origin that is not an origin."""


def normalise_origin(origin: str) -> str:
    """`https://Clinic.example/` -> `https://clinic.example`; anything but an origin is refused."""
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AccessError(f"origin {origin!r}: must look like https://host[:port]")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise AccessError(f"origin {origin!r}: only scheme, host and port, no path")
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError as exc:
        raise AccessError(f"origin {origin!r}: bad port") from exc
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def route_allowed(role: str, method: str, route: str) -> bool:
    """Admin: everything; practitioner: all but document uploads; widget: chat, drafts,
    feedback and search only."""
    method = "GET" if method == "HEAD" else method
    if role == "admin":
        return True
    if route.startswith(ADMIN_ONLY_PREFIX):
        return False
    if role == "practitioner":
        return True
    return (method, route) in WIDGET_ROUTES


def is_loopback(host: str) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
