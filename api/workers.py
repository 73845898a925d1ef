"""The app each uvicorn worker builds when `mes-ai serve --workers N` runs more than one."""

from __future__ import annotations

from fastapi import FastAPI

from api.app import create_app
from assistant.services import Services
from assistant.settings import Settings


def worker_app() -> FastAPI:
    """Settings from the MES_ environment, components warmed before the worker listens."""
    settings = Settings()
    services = Services(settings)
    services.warm()
    return create_app(settings, services)
