"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from api.auth import authorize, install_auth
from api.errors import BodySizeLimit, install_error_handlers
from api.routers import (
    chat,
    completions,
    conversations,
    documents,
    drafts,
    feedback,
    guard,
    retrieval,
    widget,
)
from assistant.services import Services
from assistant.settings import Settings


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the app; settings are read from MES_ variables only when none are given."""
    settings = settings or Settings()
    app = FastAPI(title="MES AI", version="0.1.0", dependencies=[Depends(authorize)])
    app.state.services = services or Services(settings)
    install_error_handlers(app)
    install_auth(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.include_router(retrieval.router)
    app.include_router(drafts.router)
    app.include_router(guard.router)
    app.include_router(chat.router)
    app.include_router(completions.router)
    app.include_router(conversations.router)
    app.include_router(feedback.router)
    app.include_router(documents.router)
    app.include_router(widget.router)
    return app
