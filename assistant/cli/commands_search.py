"""`mes-ai search` (one query or a JSONL batch) and `mes-ai eval retrieval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.app import app, eval_app, fail, out, print_json, settings_of
from assistant.evaluation import QUESTIONS
from assistant.limits import multi_line
from assistant.retrieval import SearchError
from assistant.services import Services


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
            multi_line(query)
            results = [r.as_dict() for r in services.search(query, k)]
        except SearchError as exc:
            fail(str(exc))
        except ValueError as exc:
            fail(f"QUERY: {exc}")
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
