"""`mes-ai ingest`: index documents with a progress bar and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.cli.app import app, console, fail, out, print_json, settings_of
from assistant.ingest import IngestError
from assistant.services import Services


@app.command()
def ingest(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders (default: knowledge/).")
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Drop the index and start again.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Index documents; unchanged files are skipped, changed replaced, deleted removed."""
    settings = settings_of(ctx)
    services = Services(settings)
    targets = paths or [settings.knowledge_dir]
    with Progress(
        TextColumn("[bold]indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=as_json,
    ) as bar:
        task = bar.add_task("", total=None)

        def step(done: int, total: int, source: str) -> None:
            bar.update(task, completed=done, total=total, description=source)

        try:
            report = services.ingest(targets, rebuild=rebuild, progress=step)
        except IngestError as exc:
            fail(str(exc))
    summary = report.summary()
    if as_json:
        print_json({**summary, "failures": [{"source": s, "reason": r} for s, r in report.failed]})
    else:
        out.print(" · ".join(f"{name} {count}" for name, count in summary.items()))
        for source, reason in report.failed:
            console.print(f"[yellow]failed[/] {source}: {reason}")
    if report.failed:
        raise typer.Exit(1)
