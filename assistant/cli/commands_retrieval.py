"""`mes-ai ingest`, `search`, `eval retrieval`, `skills import`, `serve`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.cli.app import app, console, eval_app, fail, out, print_json, settings_of, skills_app
from assistant.ingest import IngestError
from assistant.retrieval import SearchError
from assistant.services import Services
from assistant.skills import SkillsError, import_skills

QUESTIONS = Path(__file__).resolve().parents[2] / "tests" / "data" / "retrieval_questions.jsonl"


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


def _print_results(query: str, results: list[dict[str, object]]) -> None:
    table = Table(title=f"“{query}”", show_lines=True)
    for column in ("#", "score", "source › section", "text"):
        table.add_column(column, overflow="fold")
    for rank, r in enumerate(results, start=1):
        text = str(r["text"]).replace("\n", " ")
        table.add_row(
            str(rank),
            f"{r['score']:.3f}",
            f"{r['source']}\n{r['section']}",
            text[:300] + ("…" if len(text) > 300 else ""),
        )
    out.print(table)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="What to look for.")] = None,
    k: Annotated[int, typer.Option("-k", "--k", help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help='JSONL of {"q": ...}.')] = None,
) -> None:
    """Hybrid search over the index."""
    services = Services(settings_of(ctx))
    if batch is None:
        if query is None:
            fail("give a QUERY or --batch FILE")
        try:
            results = [r.as_dict() for r in services.search(query, k)]
        except SearchError as exc:
            fail(str(exc))
        if as_json:
            print_json({"results": results})
        else:
            _print_results(query, results)
        return
    if not batch.is_file():
        fail(f"batch file not found: {batch}")
    for number, line in enumerate(batch.read_text("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            q = row["q"] if isinstance(row, dict) else None
            if not isinstance(q, str):
                raise SearchError("each line needs a string field 'q'")
            k_line = int(row.get("k", k))
            print_json({"q": q, "results": [r.as_dict() for r in services.search(q, k_line)]})
        except (json.JSONDecodeError, SearchError, ValueError, TypeError, KeyError) as exc:
            print_json({"line": number, "error": str(exc)})


@eval_app.command("retrieval")
def eval_retrieval(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option("--data", help="JSONL of {q, doc, section}.")] = QUESTIONS,
    k: Annotated[int, typer.Option("-k")] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Recall@k and MRR of the question set."""
    from assistant.evaluation import evaluate_retrieval, load_questions

    if not data.is_file():
        fail(f"question set not found: {data}")
    services = Services(settings_of(ctx))
    try:
        score = evaluate_retrieval(services.retriever, load_questions(data), k)
    except (ValueError, SearchError) as exc:
        fail(str(exc))
    if as_json:
        print_json(score.__dict__)
        return
    out.print(
        f"questions {score.questions}  recall@{k} {score.recall_at_k:.3f}  "
        f"section recall@{k} {score.section_recall_at_k:.3f}  MRR {score.mrr:.3f}"
    )
    for miss in score.misses:
        out.print(f"  miss: {miss['q']}  expected {miss['expected']}  got {miss['got']}")


@skills_app.command("import")
def skills_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV (id,tier,name,description) or YAML.")],
) -> None:
    """Validate a skills checklist and replace knowledge/skills.yaml with it."""
    settings = settings_of(ctx)
    try:
        result = import_skills(file, settings.knowledge_dir / "skills.yaml")
    except SkillsError as exc:
        fail(str(exc))
    out.print(f"imported {result.total} skills ({result.by_tier}) into {result.target}")
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {warning}")


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

    settings = settings_of(ctx)
    settings = settings.model_copy(
        update={k: v for k, v in {"host": host, "port": port}.items() if v}
    )
    services = Services(settings)
    if not is_loopback(settings.host) and not services.db.has_keys():
        fail(
            f"no API keys exist (local mode), so the server only binds to loopback, not "
            f"{settings.host}: create one with `mes-ai keys create` or use --host 127.0.0.1"
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
        )
        return
    with console.status("loading the model, the index and the scope guard…"):
        services.warm()
    app_ = create_app(settings, services)
    console.print(
        f"MES AI at http://{settings.host}:{settings.port}  "
        f"(try /healthz or /v1/search?q=red+flags; Ctrl+C stops it)"
    )
    uvicorn.run(app_, host=settings.host, port=settings.port, log_level="info")
