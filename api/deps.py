"""Request-scoped access to the app's services; routers take `ServicesDep`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]
"""The app's Services, injected into a route."""
