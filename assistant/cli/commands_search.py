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
from assistant.retrieval import IndexEmptyError, IndexUnreadableError, SearchError
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


class _BadLine(ValueError):
    """A batch line that cannot be searched, with an error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _shown(value: object) -> str:
    """A short JSON rendering of a bad value, for an error message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _line_k(row: dict[str, object], default: int, k_max: int) -> int:
    """The line's k: a whole number (not a bool; 5.0 is 5) from 1 to k_max."""
    k = row.get("k", default)
    if isinstance(k, float) and k.is_integer():
        k = int(k)
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= k_max:
        raise _BadLine("bad_k", f"'k' must be a whole number from 1 to {k_max}, not {_shown(k)}")
    return k


def _parse_line(line: str, default_k: int, k_max: int) -> tuple[str, int]:
    """The query and k of one JSONL line (_BadLine says what is wrong)."""
    try:
        row = json.loads(line)
    except ValueError as exc:  # bad JSON, or an integer too long to read
        raise _BadLine("bad_json", str(exc)) from exc
    if not isinstance(row, dict) or not isinstance(row.get("q"), str):
        raise _BadLine("bad_line", 'expected a JSON object {"q": "...", "k"?: 5}')
    k = _line_k(row, default_k, k_max)
    try:
        return multi_line(row["q"]), k
    except ValueError as exc:
        raise _BadLine("bad_query", f"'q' {exc}") from exc


def _batch_line(services: Services, number: int, line: str, default_k: int) -> dict[str, object]:
    """Results for one JSONL line, or an error object for a bad line."""
    try:
        q, k = _parse_line(line, default_k, services.settings.search_k_max)
        results = [r.as_dict() for r in services.search(q, k)]
    except _BadLine as exc:
        return {"line": number, "error": {"code": exc.code, "message": str(exc)}}
    except (IndexEmptyError, IndexUnreadableError) as exc:
        return {"line": number, "error": {"code": "index", "message": str(exc)}}
    except SearchError as exc:
        return {"line": number, "error": {"code": "bad_query", "message": str(exc)}}
    return {"q": q, "results": results}


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
        if line.strip():
            print_json(_batch_line(services, number, line, k))


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
