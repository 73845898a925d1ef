"""Request-scoped access to the app's services."""

from __future__ import annotations

from fastapi import Request

from assistant.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services
