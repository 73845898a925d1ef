"""`mes-ai serve`: checks the port first, then loads everything and starts the HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.app import app, console, fail, settings_of
from assistant.generation import IndexPointerError
from assistant.services import Services

WORKER_HEALTHCHECK_S = 60


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (each loads the model).")
    ] = 1,
) -> None:
    """Start the HTTP API on 127.0.0.1:8000 (or --host/--port)."""
    import uvicorn

    from api.app import create_app
    from assistant.access import is_loopback
    from assistant.cli.checks import port_problem

    settings = settings_of(ctx)
    settings = settings.model_copy(
        update={k: v for k, v in {"host": host, "port": port}.items() if v}
    )
    busy = port_problem(settings.host, settings.port)
    if busy:
        fail(busy)
    services = Services(settings)
    if not is_loopback(settings.host) and not services.has_keys():
        fail(
            f"no API keys exist (local mode), so the server only binds to loopback, not "
            f"{settings.host}: create one with `mes-ai keys create` or use --host 127.0.0.1"
        )
    if not any((settings.data_dir / "guard").glob("model-*.safetensors")):
        who = "one worker trains it, the others wait for it" if workers > 1 else "training it first"
        console.print(
            f"the scope guard's model is not trained in this data dir yet: {who} "
            "(about 2 minutes; `mes-ai guard --warm` does it with a progress bar)"
        )
    if workers > 1:
        console.print(f"MES AI at http://{settings.host}:{settings.port} with {workers} workers")
        uvicorn.run(
            "api.workers:worker_app",
            factory=True,
            workers=workers,
            host=settings.host,
            port=settings.port,
            log_level="info",
            # A worker answers the supervisor's ping only once it runs: spawning and importing
            # torch on a busy machine can take longer than uvicorn's default of 5 s, and a
            # worker that misses it is killed and respawned, over and over.
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        )
        return
    with console.status("loading the model, the index and the scope guard…"):
        try:
            services.warm()
        except IndexPointerError as exc:
            fail(str(exc))
        except (OSError, ValueError) as exc:
            fail(f"cannot load the scope guard: {exc}")
    app_ = create_app(settings, services)
    console.print(
        f"MES AI at http://{settings.host}:{settings.port}  "
        f"(try /healthz or /v1/search?q=red+flags; Ctrl+C stops it)"
    )
    uvicorn.run(app_, host=settings.host, port=settings.port, log_level="info")
