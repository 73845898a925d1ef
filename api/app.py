"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI

from api.errors import BodySizeLimit, install_error_handlers
from api.routers import drafts, guard, retrieval, widget
from assistant.services import Services
from assistant.settings import Settings


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app; settings are read from MES_ variables only when none are given."""
    settings = settings or Settings()
    app = FastAPI(title="MES AI", version="0.1.0")
    app.state.services = services or Services(settings)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.include_router(retrieval.router)
    app.include_router(drafts.router)
    app.include_router(guard.router)
    app.include_router(widget.router)
    return app
